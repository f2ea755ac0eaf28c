"""What each CLI command does, callable from Python without the CLI."""
