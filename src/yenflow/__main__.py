from yenflow.cli import main

main()
