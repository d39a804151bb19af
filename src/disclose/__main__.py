from disclose.cli import main

main()
