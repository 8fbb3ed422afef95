from therafaq.cli import main

main()
