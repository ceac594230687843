from offramp.cli import run

run()
