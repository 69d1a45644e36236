from antq.cli import main

main()
