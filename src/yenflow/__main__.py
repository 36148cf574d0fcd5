from yenflow.entry import main

main()
