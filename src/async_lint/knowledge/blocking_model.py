"""The shapes the blocking knowledge is written in (no data here): a blocking call, and a sync
I/O package described by its receiver types.

`blocking_calls` holds the single calls (the standard library, `requests`...), `blocking_packages`
the packages; both are read through `analysis.blocking_calls.catalog(options)`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class BlockingFamily(enum.Enum):
    """What a blocking call waits for."""

    SLEEP = "sleep"
    HTTP = "http"
    FILE_IO = "file-io"
    SUBPROCESS = "subprocess"
    OTHER = "other"
    """Users, sockets, databases, threads, futures, and the configured `blocking-calls`."""


class Handoff(enum.Enum):
    """Where `await asyncio.to_thread(f, *args, **kwargs)` is a mechanical replacement."""

    ANY = "any"
    """The result is plain data (a response, bytes, a list): as a statement, or as the value
    of an assignment or a `return`."""
    STATEMENT = "statement"
    """The result is a sync object whose later use blocks again (a cursor, an unread
    response): only where the result is dropped."""
    NEVER = "never"
    """A constructor, context manager or generator: the blocking happens later, through the
    object it returns (`open`, `os.walk`, `sqlite3.connect`, `subprocess.Popen`)."""


@dataclass(frozen=True)
class BlockingCall:
    qualified_name: str
    family: BlockingFamily
    replacement: str
    """What to do instead, as the message shows it after a `;` (Markdown backticks):
    `use httpx.AsyncClient ...`; a configured suggestion is taken as written."""
    handoff: Handoff = Handoff.ANY
    async_twin: str | None = None
    """A drop-in awaitable taking the same arguments (`asyncio.sleep` for `time.sleep`): the
    fix `await <twin>(...)` is then safe."""
    nonblocking_flag: tuple[int, str] | None = None
    """(position, keyword) of a `block`/`blocking` argument: a literal `False` there makes the
    call return at once (`lock.acquire(False)`, `q.get(block=False)`)."""
    file_argument: int | None = None
    """Position of the file object (`json.load(f)`: 0, `json.dump(obj, f)`: 1): an in-memory
    buffer there (`io.StringIO()`, `io.BytesIO()`) makes the call pure computation."""
    lazy: bool = False
    """A generator or a query builder: nothing blocks until it is iterated, so the call counts
    only where it is consumed in place (`for p in path.iterdir():`, `list(os.walk(top))`,
    `for doc in users.find({}):`), not where it is stored and handed to a thread to iterate."""
    destination: tuple[int, str] | None = None
    """(position, keyword) of the path or buffer the call writes to or connects to: without
    it the call does no I/O (`df.to_csv()` returns the text, `smtplib.SMTP()` is not connected
    yet), and neither does it with an in-memory buffer there (`df.to_csv(io.StringIO())`)."""


@dataclass(frozen=True)
class ObjectShape:
    """What reading an attribute, or an item, of an object of one type gives."""

    attributes: str | None = None
    """The type of any attribute that is not one of `methods` (`client.app_db`: a Database)."""
    items: str | None = None
    """The type of `obj[key]` (`db["users"]`: a Collection)."""
    methods: frozenset[str] = frozenset()
    """Names that are methods or plain attributes of the object itself, never `attributes`."""


@dataclass(frozen=True)
class ReceiverType:
    """Objects of one type of a sync I/O package, by every name the type inference may give
    them: the class as exported and as defined (`redis.Redis`, `redis.client.Redis`), and the
    factories whose result the inference names after the factory (`builtins.open`).

    By default every public method blocks (it talks to a server, or to the disk) except the
    `pure` ones; a type with `blocking` set is the other way round (a query builder: only
    `execute()` does I/O)."""

    names: tuple[str, ...]
    """The first is the name messages and the docs show."""
    pure: frozenset[str] = frozenset()
    """Methods that do no I/O: builders, accessors, local bookkeeping (`redis.pipeline()`,
    `session.add(obj)`, `collection.with_options()`)."""
    blocking: frozenset[str] | None = None
    """When set, only these methods block and every other one is pure."""
    lazy: frozenset[str] = frozenset()
    """Methods that return a cursor or an iterator that blocks when iterated, not when
    called (`collection.find()`, `cursor.sort()`): flagged only where iterated in place."""
    statement_only: frozenset[str] = frozenset()
    """Blocking methods whose result is a sync object that blocks again (a cursor): a worker
    thread can take the call only where the result is dropped."""
    returns: Mapping[str, str] = field(default_factory=dict)
    """Method -> the type (by its first name) of what it returns (`pipeline` -> Pipeline), so
    `r.pipeline().execute()` and `db.query(User).filter(...).all()` are known."""
    attributes: Mapping[str, str] = field(default_factory=dict)
    """Attribute -> the type of the object it holds (`client.auth`, `s3.meta.client`)."""
    shape: ObjectShape | None = None
    """Any attribute or item of the object is another object (pymongo: `client.db`, `db["users"]`)."""
    protocol: bool = False
    """The type is a protocol in-memory streams satisfy too (`typing.BinaryIO` may hold a
    `BytesIO`, or a spooled temporary file its class keeps in memory): counted only on a plain
    name (a parameter or variable annotated so), not on an attribute whose class manages what
    it holds (`self.file.read()`)."""
    capitalised_pure: bool = False
    """Methods named with a capital letter build a handle and do no I/O (boto3 resources:
    `s3.Bucket(name)`, `dynamodb.Table(name)`)."""

    @property
    def name(self) -> str:
        return self.names[0]

    def blocks(self, method: str) -> bool:
        """Whether calling `method` on such an object blocks (now, or when iterated: see `lazy`)."""
        if not is_public(method) or method in self.pure:
            return False
        if self.capitalised_pure and method[:1].isupper():
            return False
        if self.blocking is not None:
            return method in self.blocking or method in self.lazy
        return True


def is_public(method: str) -> bool:
    """Neither private (`_send`) nor special (`__enter__`): the methods a package default covers."""
    return not method.startswith("_")


@dataclass(frozen=True)
class BlockingPackage:
    """One sync I/O package: the calls and the receiver types it blocks on, and what to use
    in async code instead."""

    name: str
    """As users know it (the distribution or import name): `redis`, `SQLAlchemy`, `pandas`."""
    family: BlockingFamily
    """The rule its calls are reported under (HTTP: ASL301, files: ASL302, the rest: ASL304)."""
    replacement: str
    """The message's advice after the `;` (Markdown backticks)."""
    alternative: str
    """The async alternative, short, for the docs page."""
    types: tuple[ReceiverType, ...] = ()
    calls: tuple[BlockingCall, ...] = ()
    """Functions and constructors that block (`pandas.read_csv`, `psycopg2.connect`), and
    methods that need more than the package default (`DataFrame.to_csv` blocks only when given
    a path)."""
    values: Mapping[str, str] = field(default_factory=dict)
    """Constructors and factories -> the type (by its first name) of the object they make
    (`redis.from_url` -> `redis.Redis`, `boto3.client` -> the botocore client)."""
    note: str = ""
    """What the docs page adds about the package (a caveat, what is not covered)."""
