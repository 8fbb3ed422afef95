"""The `therafaq` command and `python -m therafaq`.

A run is short and allocates heavily while importing and loading the
corpus, so the garbage collector stays off until the corpus is loaded
(`cache.load_indexed` freezes what it loaded and turns the collector back
on, for chat). Commands that never load a corpus finish before it matters.
"""

import gc


def main() -> None:
    gc.disable()
    from therafaq.cli import main as run

    run()


if __name__ == "__main__":
    main()
