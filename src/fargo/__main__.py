from fargo.cli.app import main

main()
