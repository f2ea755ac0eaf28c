from fargo.cli.launch import main

main()
