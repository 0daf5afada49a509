"""``python -m hunan_map.cli``."""

from hunan_map.cli.main import main

main()
