"""The command line: thin typer commands over the config, template and engine packages."""
