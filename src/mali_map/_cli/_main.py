"""The ``mali-map`` command: a thin layer over the pipeline.

Exit codes: 0 success (warnings and unmatched rows are reported, not fatal);
1 with ``--strict`` when a row is unmatched or invalid or its code, name or point
contradict each other (national and multi-unit rows are never failures); 2 for unusable input or
options, with one line on stderr and no traceback.

Options come from one validated :class:`~mali_map._build._options.Options`: a recipe
(``--config recipe.toml``) first, then the flags given on the command line. The parser
is generated from the options' fields (:mod:`._parser`); the subcommands are in
:mod:`._commands`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .._core import MaliMapError, echo, label
from ._commands import EXIT_INPUT, EXIT_OK, HANDLERS, init
from ._parser import UsageError, language, options_from, parser

__all__ = ["main", "options_from", "run"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    lang = "en"
    try:
        try:
            args = parser().parse_args(argv)
        except SystemExit as exc:  # --help, --version
            return int(exc.code or 0)
        lang = language(args)
        if args.command == "init":
            return init(args)
        options = options_from(args)
        lang = options.lang
        return HANDLERS[args.command](options, getattr(args, "config", None))
    except UsageError as exc:
        echo(label("cli.usage_error", lang, message=exc), sys.stderr)
        return EXIT_INPUT
    except (MaliMapError, ValueError) as exc:
        echo(label("cli.error", lang, message=" ".join(str(exc).split())), sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        echo(label("cli.interrupted", lang), sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        return EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
