from offramp.cli import command

command()
