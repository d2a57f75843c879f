"""``python -m employkit`` runs the command line."""

from employkit.cli import main

if __name__ == "__main__":
    main()
