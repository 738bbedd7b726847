"""``python -m auction.cli``: the same CLI as the ``auction`` command."""

from auction.cli.main import main

main()
