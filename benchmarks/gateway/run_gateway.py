"""Start the gateway as `offramp serve` would (the CLI group is registered elsewhere)."""

from offramp.gateway.commands import serve

if __name__ == "__main__":
    serve.main(prog_name="offramp serve")
