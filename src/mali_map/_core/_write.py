"""Safe writing, used by every writer: nothing half-written, nothing outside the output.

- :func:`build_folder` stages a whole build in a temporary folder beside ``--out``
  and swaps it in only when every output is complete: an interrupted or failed
  build leaves the previous site whole, and pages of a previous build that this
  one does not write disappear with the swap. A lock beside the folder refuses a
  second build into the same folder while one runs.
- :func:`write_atomic` writes one file through a temporary sibling and
  :func:`os.replace`, so a symlink at the target is replaced, never followed.
- :func:`inside` resolves a path below an output root and refuses one that a
  symlink would send elsewhere.
- :func:`check_not_input` refuses an output that would overwrite an input.
- :func:`writing` is the one place where an :class:`OSError` becomes an
  :class:`~mali_map.OutputError`.
- :func:`defuse_formula` quotes spreadsheet cells that would run as a formula.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ._errors import OutputError

#: File that marks a folder as written by mali-map (so a later build may replace it).
MARKER = ".mali-map"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(value: object) -> object:
    """Quote text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``).

    >>> defuse_formula("=HYPERLINK(1)"), defuse_formula("Mopti"), defuse_formula(-3)
    ("'=HYPERLINK(1)", 'Mopti', -3)
    """
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return value


@contextlib.contextmanager
def writing(path: str | Path, what: str = "", *, action: str = "write") -> Iterator[None]:
    """Turn an :class:`OSError` raised inside the block into one-line :class:`OutputError`:
    ``<path>: cannot <action> <what>: <reason>`` -- the one place where this happens.

    >>> try:
    ...     with writing("/nonexistent/x.csv", "the join report"):
    ...         open("/nonexistent/x.csv", "w")
    ... except OutputError as exc:
    ...     print(exc)
    /nonexistent/x.csv: cannot write the join report: No such file or directory
    >>> try:
    ...     with writing("/nonexistent/site", "the output folder", action="create"):
    ...         Path("/nonexistent/site").mkdir()
    ... except OutputError as exc:
    ...     print(exc)
    /nonexistent/site: cannot create the output folder: No such file or directory
    """
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        doing = f"{action} {what}" if what else action
        raise OutputError(f"{path}: cannot {doing}: {exc.strerror or exc}") from None


def inside(root: str | Path, relative: str | Path) -> Path:
    """``root / relative`` resolved, refusing a path that leaves ``root`` (through ``..``
    or a symlink).

    >>> inside("/tmp/site", "regions/mopti.html").as_posix().endswith("site/regions/mopti.html")
    True
    """
    base = Path(root).resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base):
        raise OutputError(f"{base / relative}: refusing to write outside the output folder "
                          f"{base}")
    return target


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def check_not_input(output: str | Path, inputs: Iterable[str | Path | None], *,
                    folder: bool = False) -> None:
    """Refuse ``output`` when it is one of ``inputs`` or, for a ``folder`` that a build
    replaces as a whole, when it contains one of them.

    >>> check_not_input("report.csv", ["3w.csv"])
    >>> check_not_input("3w.csv", ["3w.csv"])
    Traceback (most recent call last):
    ...
    mali_map.OutputError: 3w.csv: refusing to overwrite an input file; choose another output
    """
    out = Path(output)
    for item in inputs:
        if item is None:
            continue
        source = Path(item)
        if _same(out, source):
            raise OutputError(f"{out}: refusing to overwrite an input file; "
                              "choose another output")
        if folder and source.resolve().is_relative_to(out.resolve()):
            raise OutputError(f"{source}: this input is inside the output folder {out}, which "
                              "a build replaces as a whole; move it or choose another --out")


def write_atomic(path: str | Path, write: Callable[[Path], object], what: str) -> Path:
    """Call ``write(tmp)`` on a temporary sibling of ``path``, then move it over ``path``.

    A failure leaves ``path`` as it was; a symlink at ``path`` is replaced, not followed.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_atomic(target, lambda p: p.write_text("ok"), "a test file").read_text()
    'ok'
    """
    target = Path(path)
    with writing(target, what):
        if target.is_dir() and not target.is_symlink():
            raise OutputError(f"{target}: is a folder; give a file name")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".part{target.suffix}",
                                   dir=target.parent)
        os.close(fd)
        try:
            write(Path(tmp))
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _Lock:
    """An exclusive lock on ``path`` held by this process (released on exit or death)."""

    def __init__(self, path: Path, out: Path) -> None:
        self.path, self.out, self.handle = path, out, None

    def __enter__(self) -> _Lock:
        with writing(self.path, "the build lock"):
            self.handle = open(self.path, "a+")
        try:
            import fcntl

            fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # no fcntl (Windows): an exclusive lock file instead
            self.handle.close()
            try:
                self.handle = open(self.path.with_suffix(".lck"), "x")
            except FileExistsError:
                self.handle = None
                self._busy()
        except OSError:
            self.handle.close()
            self.handle = None
            self._busy()
        return self

    def _busy(self) -> None:
        raise OutputError(f"{self.out}: another mali-map build is writing to this folder; "
                          "wait for it to finish")

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            name = self.handle.name
            self.handle.close()
            if name.endswith(".lck"):
                with contextlib.suppress(OSError):
                    os.unlink(name)


def _replaceable(out: Path) -> bool:
    """True if ``out`` is absent, empty, or holds a previous mali-map build."""
    if not out.exists():
        return True
    if not out.is_dir():
        return False
    if (out / MARKER).is_file() or (out / "index.html").is_file():
        return True
    return not any(out.iterdir())


class Staging:
    """The temporary folder a build writes to; see :func:`build_folder`."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root = root
        self.out = out

    def path(self, relative: str | Path) -> Path:
        """Where ``relative`` goes in the staging folder (checked to stay inside)."""
        return inside(self.root, relative)

    def final(self, path: Path) -> Path:
        """Where a staged ``path`` will be once the build is swapped in."""
        return self.out / Path(path).relative_to(self.root)


@contextlib.contextmanager
def build_folder(out: str | Path, inputs: Iterable[str | Path | None] = ()) -> Iterator[Staging]:
    """Stage a build for ``out``: yield a :class:`Staging` folder, swap it in on success.

    On any error or interruption the staging folder is removed and ``out`` is left
    as it was. ``out`` must be new, empty or a previous mali-map build, and contain
    none of ``inputs``.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "maps"
    >>> with build_folder(out) as stage:
    ...     _ = stage.path("index.html").write_text("<p>new</p>")
    >>> sorted(p.name for p in out.iterdir())
    ['.mali-map', 'index.html']
    """
    given = Path(out)
    target = given.resolve()
    check_not_input(target, inputs, folder=True)
    if not _replaceable(target):
        raise OutputError(f"{given}: this folder is not empty and was not written by mali-map; "
                          "a build replaces its output folder as a whole, so choose a new or "
                          "empty folder")
    parent = target.parent
    with writing(parent, "the output folder"):
        parent.mkdir(parents=True, exist_ok=True)
    with _Lock(parent / f".{target.name}.mali-map-lock", given):
        with writing(parent, "the output folder"):
            stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=parent))
        try:
            os.chmod(stage, 0o777 & ~_umask())
            (stage / MARKER).write_text("Written by mali-map; replaced by the next build.\n",
                                        encoding="utf-8")
            yield Staging(stage, target)
            _swap(stage, target)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise


def _swap(stage: Path, target: Path) -> None:
    old = None
    with writing(target, "the output folder"):
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.previous-", dir=target.parent))
            os.rename(target, old / "site")
        try:
            os.rename(stage, target)
        except OSError:
            if old is not None:
                os.rename(old / "site", target)
            raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
