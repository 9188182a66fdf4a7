"""Sync I/O packages, one entry each: the receiver types the type inference gives their objects,
the few methods of each type that do no I/O, the functions that block, and what to use in async
code instead.

A receiver whose type comes from one of these packages blocks on every public method except
its type's `pure` ones (or, for a builder type, only on its `blocking` ones): the data stays
small and an unlisted method of a client is blocking, as it nearly always is. Type names are
spelled as the inference names an object: the class as exported and as defined (an annotation
`db: Session` gives whichever the import names), or the factory for objects named after their
factory (`open(...)`). `values` and `returns` say what a constructor, factory or method makes,
so chains (`db.query(User).filter(...).all()`, `r.pipeline().execute()`) stay typed.

`blocking_calls` merges these into the catalog, `VALUE_TYPES` and `ATTRIBUTE_TYPES`;
`library_types.SHAPES` takes the packages' shapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from async_lint.knowledge.blocking_model import (
    BlockingCall,
    BlockingFamily,
    BlockingPackage,
    Handoff,
    ObjectShape,
    ReceiverType,
)

_HTTP = BlockingFamily.HTTP
_FILE = BlockingFamily.FILE_IO
_OTHER = BlockingFamily.OTHER


def _calls(family: BlockingFamily, replacement: str, names: Iterable[str], handoff: Handoff = Handoff.ANY, **extra: object) -> tuple[BlockingCall, ...]:
    return tuple(BlockingCall(name, family, replacement, handoff, **extra) for name in names)  # type: ignore[arg-type]


def _same(type_name: str, methods: Iterable[str]) -> dict[str, str]:
    """Builder methods that return an object of the same type."""
    return {method: type_name for method in methods}


# --- HTTP clients ---

_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
_HTTPX_ADVICE = "use `httpx.AsyncClient` (`await client.get(...)`) or `aiohttp`, or `await asyncio.to_thread(...)`"


def _httpx(module: str) -> BlockingPackage:
    client = f"{module}.Client"
    return BlockingPackage(
        name=module,
        family=_HTTP,
        replacement=_HTTPX_ADVICE.replace("httpx.", f"{module}."),
        alternative=f"`{module}.AsyncClient`",
        types=(
            ReceiverType(
                (client, f"{module}._client.Client"),
                # `close()` drops pooled sockets without waiting on a peer
                pure=frozenset({"build_request", "close"}),
                statement_only=frozenset({"stream"}),
            ),
        ),
        calls=(
            *_calls(_HTTP, _HTTPX_ADVICE.replace("httpx.", f"{module}."), (f"{module}.{verb}" for verb in _HTTP_VERBS)),
            *_calls(_HTTP, _HTTPX_ADVICE.replace("httpx.", f"{module}."), (f"{module}.stream", f"{client}.stream"), Handoff.NEVER),
        ),
        values={client: client, f"{module}._client.Client": client},
    )


_REQUESTS_ADVICE = "use `httpx.AsyncClient` (`await client.get(...)`) or `aiohttp`, or `await asyncio.to_thread(...)`"
_SESSION = "requests.Session"
REQUESTS = BlockingPackage(
    name="requests",
    family=_HTTP,
    replacement=_REQUESTS_ADVICE,
    alternative="`httpx.AsyncClient`, `aiohttp.ClientSession`",
    types=(
        ReceiverType(
            (_SESSION, "requests.sessions.Session"),
            pure=frozenset({
                "mount", "prepare_request", "close", "get_adapter", "merge_environment_settings", "rebuild_auth",
                "rebuild_proxies", "rebuild_method", "should_strip_auth", "get_redirect_target",
            }),
            lazy=frozenset({"resolve_redirects"}),
        ),
    ),
    calls=_calls(_HTTP, _REQUESTS_ADVICE, (f"requests.{verb}" for verb in _HTTP_VERBS)),
    values={"requests.Session": _SESSION, "requests.session": _SESSION, "requests.sessions.Session": _SESSION},
)

_URLLIB3_POOL = "urllib3.PoolManager"
URLLIB3 = BlockingPackage(
    name="urllib3",
    family=_HTTP,
    replacement=_HTTPX_ADVICE,
    alternative="`httpx.AsyncClient`, `aiohttp.ClientSession`",
    types=(
        ReceiverType(
            (
                _URLLIB3_POOL, "urllib3.poolmanager.PoolManager", "urllib3.ProxyManager", "urllib3.poolmanager.ProxyManager",
                "urllib3.HTTPConnectionPool", "urllib3.HTTPSConnectionPool", "urllib3.connectionpool.ConnectionPool",
                "urllib3.connectionpool.HTTPConnectionPool", "urllib3.connectionpool.HTTPSConnectionPool",
                "urllib3.request.RequestMethods", "urllib3.connection_from_url", "urllib3.proxy_from_url",
            ),
            # handing out a pool, or closing pooled sockets, waits on nothing
            pure=frozenset({
                "clear", "close", "connection_from_host", "connection_from_url", "connection_from_context",
                "connection_from_pool_key",
            }),
        ),
    ),
    calls=_calls(_HTTP, _HTTPX_ADVICE, ["urllib3.request"]),
    values={"urllib3.PoolManager": _URLLIB3_POOL, "urllib3.poolmanager.PoolManager": _URLLIB3_POOL},
)

_HTTP_CONNECTION = "http.client.HTTPConnection"
_HTTP_RESPONSE = "http.client.HTTPResponse"
HTTP_CLIENT = BlockingPackage(
    name="http.client",
    family=_HTTP,
    replacement=_HTTPX_ADVICE,
    alternative="`httpx.AsyncClient`, `aiohttp.ClientSession`",
    types=(
        ReceiverType(
            (_HTTP_CONNECTION, "http.client.HTTPSConnection"),
            # `putrequest`/`putheader` only buffer; `endheaders` sends
            pure=frozenset({"set_debuglevel", "set_tunnel", "putrequest", "putheader", "close"}),
            statement_only=frozenset({"getresponse"}),
            returns={"getresponse": _HTTP_RESPONSE},
        ),
        # the body is read from the socket as it is asked for
        ReceiverType((_HTTP_RESPONSE,), blocking=frozenset({"read", "read1", "readinto", "readline", "readlines", "peek"})),
    ),
    calls=_calls(_HTTP, _HTTPX_ADVICE, ["urllib.request.urlopen"], Handoff.STATEMENT),
    values={
        _HTTP_CONNECTION: _HTTP_CONNECTION,
        "http.client.HTTPSConnection": _HTTP_CONNECTION,
        "urllib.request.urlopen": _HTTP_RESPONSE,
    },
)

# --- redis ---

_REDIS = "redis.Redis"
_PIPELINE = "redis.client.Pipeline"
_PUBSUB = "redis.client.PubSub"
_REDIS_LOCK = "redis.lock.Lock"
_REDIS_MODULE = "redis.commands.RedisModuleCommands"
_REDIS_ADVICE = "use `redis.asyncio.Redis` (`await r.get(...)`)"
REDIS = BlockingPackage(
    name="redis",
    family=_OTHER,
    replacement=_REDIS_ADVICE,
    alternative="`redis.asyncio.Redis`",
    types=(
        ReceiverType(
            (_REDIS, "redis.client.Redis", "redis.StrictRedis", "redis.client.StrictRedis", "redis.cluster.RedisCluster", "redis.RedisCluster"),
            # Every command blocks; these only make objects (the connection pool connects lazily).
            pure=frozenset({
                "pipeline", "pubsub", "lock", "register_script", "client", "close", "get_connection_kwargs",
                "get_encoder", "get_retry", "set_retry", "set_response_callback", "get_cache", "from_url",
                "from_pool", "load_external_module", "json", "ft", "ts", "bf", "cf", "cms", "topk", "tdigest",
                "vset", "monitor", "parse_response",
            }),
            returns={
                "pipeline": _PIPELINE, "pubsub": _PUBSUB, "lock": _REDIS_LOCK, "client": _REDIS,
                **_same(_REDIS_MODULE, ("json", "ft", "ts", "bf", "cf", "cms", "topk", "tdigest", "vset")),
            },
        ),
        ReceiverType(
            (_PIPELINE, "redis.client.StrictPipeline", "redis.cluster.ClusterPipeline"),
            # Commands are buffered until `execute()`; `watch` runs at once.
            blocking=frozenset({"execute", "watch", "unwatch", "immediate_execute_command", "load_scripts"}),
        ),
        ReceiverType(
            (_PUBSUB,),
            pure=frozenset({"close", "reset", "run_in_thread", "handle_message", "is_health_check_response", "on_connect"}),
            lazy=frozenset({"listen"}),
        ),
        ReceiverType((_REDIS_LOCK,), pure=frozenset({"register_scripts"})),
        ReceiverType((_REDIS_MODULE,), pure=frozenset({"pipeline"})),
    ),
    # Making a client opens no connection (its pool connects on the first command): the
    # constructors are not calls that block.
    values={
        **_same(_REDIS, ("redis.Redis", "redis.StrictRedis", "redis.client.Redis", "redis.from_url", "redis.Redis.from_url", "redis.Redis.from_pool", "redis.cluster.RedisCluster", "redis.RedisCluster")),
        "redis.sentinel.Sentinel.master_for": _REDIS,
        "redis.sentinel.Sentinel.slave_for": _REDIS,
    },
    note="A pipeline after `watch()` runs its commands at once until `multi()`; they are counted as buffered.",
)

# --- MongoDB ---

_MONGO_CLIENT = "pymongo.mongo_client.MongoClient"
_MONGO_DATABASE = "pymongo.database.Database"
_MONGO_COLLECTION = "pymongo.collection.Collection"
_MONGO_CURSOR = "pymongo.cursor.Cursor"
_MONGO_COMMAND_CURSOR = "pymongo.command_cursor.CommandCursor"
_GRIDFS = "gridfs.GridFS"
_MONGO_ADVICE = "use `pymongo.AsyncMongoClient` (or `motor.motor_asyncio.AsyncIOMotorClient`)"
_CURSOR_BUILDERS = (
    "sort", "limit", "skip", "batch_size", "hint", "max_time_ms", "max_await_time_ms", "where", "collation", "comment",
    "allow_disk_use", "max", "min", "max_scan", "add_option", "remove_option", "clone", "rewind",
)  # fmt: skip
PYMONGO = BlockingPackage(
    name="pymongo",
    family=_OTHER,
    replacement=_MONGO_ADVICE,
    alternative="`pymongo.AsyncMongoClient`, `motor`",
    types=(
        ReceiverType(
            (_MONGO_CLIENT, "pymongo.MongoClient"),
            pure=frozenset({"get_database", "get_default_database", "close", "start_session", "append_metadata", "eq_props"}),
            returns={"get_database": _MONGO_DATABASE, "get_default_database": _MONGO_DATABASE},
            shape=ObjectShape(
                attributes=_MONGO_DATABASE,
                items=_MONGO_DATABASE,
                methods=frozenset({
                    "address", "append_metadata", "arbiters", "bulk_write", "close", "codec_options", "drop_database",
                    "eq_props", "get_database", "get_default_database", "is_mongos", "is_primary", "list_database_names",
                    "list_databases", "nodes", "options", "primary", "read_concern", "read_preference", "secondaries",
                    "server_info", "start_session", "topology_description", "watch", "with_options", "write_concern",
                    "HOST", "PORT",
                }),
            ),
        ),
        ReceiverType(
            (_MONGO_DATABASE,),
            pure=frozenset({"get_collection", "with_options"}),
            returns={"get_collection": _MONGO_COLLECTION, "aggregate": _MONGO_COMMAND_CURSOR, "list_collections": _MONGO_COMMAND_CURSOR},
            statement_only=frozenset({"aggregate", "list_collections", "watch", "cursor_command"}),
            shape=ObjectShape(
                attributes=_MONGO_COLLECTION,
                items=_MONGO_COLLECTION,
                methods=frozenset({
                    "aggregate", "client", "codec_options", "command", "create_collection", "cursor_command",
                    "dereference", "drop_collection", "get_collection", "list_collection_names", "list_collections",
                    "name", "read_concern", "read_preference", "validate_collection", "watch", "with_options",
                    "write_concern",
                }),
            ),
        ),
        ReceiverType(
            (_MONGO_COLLECTION,),
            # `find` only builds a cursor: iterating it talks to the server
            pure=frozenset({"with_options"}),
            lazy=frozenset({"find", "find_raw_batches"}),
            returns={
                "find": _MONGO_CURSOR, "with_options": _MONGO_COLLECTION, "aggregate": _MONGO_COMMAND_CURSOR,
                "list_indexes": _MONGO_COMMAND_CURSOR, "list_search_indexes": _MONGO_COMMAND_CURSOR,
            },
            statement_only=frozenset({"aggregate", "aggregate_raw_batches", "list_indexes", "list_search_indexes", "watch"}),
            shape=ObjectShape(
                attributes=_MONGO_COLLECTION,  # `db.users.archive` is the sub-collection `users.archive`
                methods=frozenset({
                    "aggregate", "aggregate_raw_batches", "bulk_write", "codec_options", "count_documents",
                    "create_index", "create_indexes", "create_search_index", "create_search_indexes", "database",
                    "delete_many", "delete_one", "distinct", "drop", "drop_index", "drop_indexes", "drop_search_index",
                    "estimated_document_count", "find", "find_one", "find_one_and_delete", "find_one_and_replace",
                    "find_one_and_update", "find_raw_batches", "full_name", "index_information", "insert_many",
                    "insert_one", "list_indexes", "list_search_indexes", "name", "options", "read_concern",
                    "read_preference", "rename", "replace_one", "update_many", "update_one", "update_search_index",
                    "watch", "with_options", "write_concern",
                }),
            ),
        ),
        ReceiverType(
            (_MONGO_CURSOR,),
            pure=frozenset({"close"}),
            lazy=frozenset(_CURSOR_BUILDERS),
            returns=_same(_MONGO_CURSOR, _CURSOR_BUILDERS),
        ),
        ReceiverType((_MONGO_COMMAND_CURSOR,), pure=frozenset({"close", "batch_size"}), returns={"batch_size": _MONGO_COMMAND_CURSOR}),
        ReceiverType((_GRIDFS, "gridfs.GridFSBucket"), pure=frozenset({"new_file", "open_upload_stream", "open_upload_stream_with_id"}), lazy=frozenset({"find"})),
    ),
    # The constructor connects in background threads and returns at once (a `mongodb+srv://`
    # URI's DNS lookups are the exception, not told apart here): not a call that blocks.
    values={
        "pymongo.MongoClient": _MONGO_CLIENT,
        _MONGO_CLIENT: _MONGO_CLIENT,
        _MONGO_DATABASE: _MONGO_DATABASE,
        _MONGO_COLLECTION: _MONGO_COLLECTION,
        "gridfs.GridFS": _GRIDFS,
        "gridfs.GridFSBucket": _GRIDFS,
    },
    note=(
        "A cursor counts where it is iterated: in place (`for doc in users.find():`, `list(...)`), or "
        "stored in a name the same coroutine then loops over (`cursor = users.find()` ... "
        "`for doc in cursor:`); one handed elsewhere is not followed."
    ),
)

# --- SQL ---

_SA_SESSION = "sqlalchemy.orm.Session"
_SA_QUERY = "sqlalchemy.orm.Query"
_SA_ENGINE = "sqlalchemy.engine.Engine"
_SA_CONNECTION = "sqlalchemy.engine.Connection"
_SA_ADVICE = (
    "use `sqlalchemy.ext.asyncio` (`AsyncSession`, `create_async_engine`, `await session.execute(...)`), "
    "or a sync `def` route FastAPI runs in its threadpool"
)
_QUERY_BUILDERS = (
    "filter", "filter_by", "where", "order_by", "group_by", "having", "join", "outerjoin", "limit", "offset", "slice",
    "options", "select_from", "with_entities", "distinct", "add_columns", "add_column", "add_entity", "params",
    "populate_existing", "execution_options", "yield_per", "with_for_update", "correlate", "enable_eagerloads",
    "union", "union_all", "intersect", "except_", "from_statement", "prefix_with", "suffix_with", "with_hint",
    "with_session", "with_parent", "tuples", "autoflush", "reset_joinpoint", "set_label_style", "with_labels",
    "enable_assertions", "with_statement_hint", "with_transformation", "only_return_tuples",
)  # fmt: skip
SQLALCHEMY = BlockingPackage(
    name="SQLAlchemy",
    family=_OTHER,
    replacement=_SA_ADVICE,
    alternative="`sqlalchemy.ext.asyncio.AsyncSession`, `create_async_engine`",
    types=(
        ReceiverType(
            (_SA_SESSION, "sqlalchemy.orm.session.Session", "sqlalchemy.orm.scoped_session", "sqlalchemy.orm.scoping.scoped_session", "sqlmodel.Session", "sqlmodel.orm.session.Session"),
            # Bookkeeping in the identity map; the SQL runs at `flush`/`commit`/`execute`.
            pure=frozenset({
                "add", "add_all", "delete", "expunge", "expunge_all", "expire", "expire_all", "get_bind", "begin",
                "is_modified", "in_transaction", "in_nested_transaction", "get_transaction", "get_nested_transaction",
                "enable_relationship_loading", "identity_key", "object_session", "bind_mapper", "bind_table",
                "execution_options", "configure", "query_property", "delete_all",
            }),
            lazy=frozenset({"query"}),
            returns={"query": _SA_QUERY, "connection": _SA_CONNECTION},
            statement_only=frozenset({"connection"}),
        ),
        ReceiverType(
            (_SA_QUERY, "sqlalchemy.orm.query.Query"),
            blocking=frozenset({"all", "first", "one", "one_or_none", "scalar", "count", "get", "delete", "update", "value", "values", "merge_result", "instances"}),
            lazy=frozenset(_QUERY_BUILDERS),
            returns=_same(_SA_QUERY, _QUERY_BUILDERS),
        ),
        ReceiverType(
            (_SA_ENGINE, "sqlalchemy.engine.base.Engine", "sqlalchemy.Engine", "sqlalchemy.create_engine", "sqlalchemy.engine.create_engine", "sqlmodel.create_engine"),
            pure=frozenset({"dispose", "execution_options", "get_execution_options", "update_execution_options", "clear_compiled_cache"}),
            returns={"connect": _SA_CONNECTION, "begin": _SA_CONNECTION},
            statement_only=frozenset({"connect", "begin", "raw_connection"}),
        ),
        ReceiverType(
            (_SA_CONNECTION, "sqlalchemy.engine.base.Connection", "sqlalchemy.Connection"),
            pure=frozenset({
                "begin", "in_transaction", "in_nested_transaction", "get_transaction", "get_nested_transaction",
                "execution_options", "get_execution_options", "schema_for_object", "detach",
            }),
            statement_only=frozenset({"execute", "exec_driver_sql"}),
        ),
    ),
    values={
        _SA_SESSION: _SA_SESSION,
        "sqlalchemy.orm.session.Session": _SA_SESSION,
        "sqlalchemy.orm.sessionmaker.__call__": _SA_SESSION,
        "sqlalchemy.orm.session.sessionmaker.__call__": _SA_SESSION,
        "sqlalchemy.orm.sessionmaker.begin": _SA_SESSION,
        "sqlalchemy.orm.scoped_session.__call__": _SA_SESSION,
        "sqlmodel.Session": _SA_SESSION,
    },
    note=(
        "Statements (`select(User)`) and the rows a result holds are plain objects; `AsyncSession` "
        "and `AsyncEngine` are never flagged."
    ),
)

_PG2_CONNECTION = "psycopg2.extensions.connection"
_PG2_CURSOR = "psycopg2.extensions.cursor"
_PG3_CONNECTION = "psycopg.Connection"
_PG3_CURSOR = "psycopg.Cursor"
_POSTGRES_ADVICE = "use `asyncpg` or `await psycopg.AsyncConnection.connect(...)`"
_DB_CURSOR_PURE = frozenset({"close", "mogrify", "setinputsizes", "setoutputsize", "setoutputsizes"})
PSYCOPG2 = BlockingPackage(
    name="psycopg2",
    family=_OTHER,
    replacement=_POSTGRES_ADVICE,
    alternative="`asyncpg`, `psycopg.AsyncConnection`",
    types=(
        ReceiverType(
            (_PG2_CONNECTION, "psycopg2.connection", "psycopg2.extensions.connection", "psycopg2.connect"),
            # `close()` sends a goodbye and waits for nothing
            pure=frozenset({
                "cursor", "close", "get_dsn_parameters", "get_parameter_status", "get_backend_pid", "get_native_connection",
                "fileno", "isexecuting", "xid",
            }),
            returns={"cursor": _PG2_CURSOR},
        ),
        ReceiverType((_PG2_CURSOR, "psycopg2.cursor", "psycopg2.extras.RealDictCursor", "psycopg2.extras.DictCursor"), pure=_DB_CURSOR_PURE, statement_only=frozenset({"execute", "executemany", "callproc"})),
        ReceiverType(
            ("psycopg2.pool.SimpleConnectionPool", "psycopg2.pool.ThreadedConnectionPool", "psycopg2.pool.AbstractConnectionPool"),
            blocking=frozenset({"getconn", "closeall"}),
            returns={"getconn": _PG2_CONNECTION},
            statement_only=frozenset({"getconn"}),
        ),
    ),
    calls=_calls(_OTHER, _POSTGRES_ADVICE, ["psycopg2.connect"], Handoff.NEVER),
    values={"psycopg2.extensions.connection": _PG2_CONNECTION},
)

PSYCOPG = BlockingPackage(
    name="psycopg",
    family=_OTHER,
    replacement=_POSTGRES_ADVICE,
    alternative="`psycopg.AsyncConnection`, `asyncpg`",
    types=(
        ReceiverType(
            (_PG3_CONNECTION, "psycopg.connection.Connection", "psycopg.connect"),
            pure=frozenset({
                "cursor", "close", "fileno", "xid", "add_notice_handler", "remove_notice_handler", "add_notify_handler",
                "remove_notify_handler",
            }),
            returns={"cursor": _PG3_CURSOR, "execute": _PG3_CURSOR},
            statement_only=frozenset({"execute"}),
        ),
        ReceiverType((_PG3_CURSOR, "psycopg.cursor.Cursor", "psycopg.ClientCursor", "psycopg.ServerCursor"), pure=_DB_CURSOR_PURE, statement_only=frozenset({"execute", "executemany"}), returns={"execute": _PG3_CURSOR}),
        ReceiverType(("psycopg_pool.ConnectionPool", "psycopg_pool.pool.ConnectionPool"), pure=frozenset({"close", "get_stats", "pop_stats"}), statement_only=frozenset({"connection", "getconn"}), returns={"getconn": _PG3_CONNECTION}),
    ),
    calls=_calls(_OTHER, _POSTGRES_ADVICE, ["psycopg.connect", "psycopg.Connection.connect"], Handoff.NEVER),
    values={"psycopg.Connection.connect": _PG3_CONNECTION, "psycopg.connection.Connection": _PG3_CONNECTION},
)

_MYSQL_CONNECTION = "pymysql.connections.Connection"
_MYSQL_CURSOR = "pymysql.cursors.Cursor"
_MYSQL_ADVICE = "use `aiomysql` or `asyncmy`"
PYMYSQL = BlockingPackage(
    name="PyMySQL",
    family=_OTHER,
    replacement=_MYSQL_ADVICE,
    alternative="`aiomysql`, `asyncmy`",
    types=(
        ReceiverType(
            (_MYSQL_CONNECTION, "pymysql.Connection", "pymysql.connect", "pymysql.connections.Connection"),
            # `close()` sends COM_QUIT and waits for nothing; the rest escape or read local state
            pure=frozenset({
                "cursor", "close", "escape", "escape_string", "literal", "character_set_name", "get_host_info",
                "get_proto_info", "get_server_info", "get_autocommit", "thread_id", "insert_id", "affected_rows",
            }),
            returns={"cursor": _MYSQL_CURSOR},
        ),
        ReceiverType((_MYSQL_CURSOR, "pymysql.cursors.DictCursor", "pymysql.cursors.SSCursor", "pymysql.cursors.SSDictCursor"), pure=_DB_CURSOR_PURE, statement_only=frozenset({"execute", "executemany", "callproc"})),
    ),
    calls=_calls(_OTHER, _MYSQL_ADVICE, ["pymysql.connect", "pymysql.connections.Connection", "pymysql.Connect"], Handoff.NEVER),
    values={"pymysql.connections.Connection": _MYSQL_CONNECTION, "pymysql.Connection": _MYSQL_CONNECTION},
)

# --- search, SaaS and cloud clients ---

_ES = "elasticsearch.Elasticsearch"
_ES_NAMESPACE = "elasticsearch.client.NamespacedClient"
_ES_ADVICE = "use `elasticsearch.AsyncElasticsearch` (`await es.search(...)`)"
_ES_NAMESPACES = (
    "async_search", "autoscaling", "cat", "ccr", "cluster", "connector", "dangling_indices", "enrich", "eql", "esql",
    "features", "fleet", "graph", "ilm", "indices", "inference", "ingest", "license", "logstash", "migration", "ml",
    "monitoring", "nodes", "query_rules", "rollup", "search_application", "searchable_snapshots", "security",
    "shutdown", "simulate", "slm", "snapshot", "sql", "ssl", "synonyms", "tasks", "text_structure", "transform",
    "watcher", "xpack",
)  # fmt: skip
ELASTICSEARCH = BlockingPackage(
    name="elasticsearch",
    family=_OTHER,
    replacement=_ES_ADVICE,
    alternative="`elasticsearch.AsyncElasticsearch`",
    types=(
        ReceiverType((_ES, "elasticsearch.client.Elasticsearch", "elasticsearch._sync.client.Elasticsearch"), pure=frozenset({"options", "close"}), returns={"options": _ES}, attributes=_same(_ES_NAMESPACE, _ES_NAMESPACES)),
        ReceiverType((_ES_NAMESPACE,), pure=frozenset({"options"})),
    ),
    calls=(
        *_calls(_OTHER, _ES_ADVICE, ["elasticsearch.helpers.bulk", "elasticsearch.helpers.reindex"]),
        *(BlockingCall(f"elasticsearch.helpers.{name}", _OTHER, _ES_ADVICE, Handoff.NEVER, lazy=True) for name in ("scan", "streaming_bulk", "parallel_bulk")),
    ),
    values={_ES: _ES, "elasticsearch.client.Elasticsearch": _ES},
)

_SUPABASE = "supabase.Client"
_POSTGREST = "postgrest.SyncRequestBuilder"
_GOTRUE = "supabase_auth.SyncGoTrueClient"
_GOTRUE_ADMIN = "supabase_auth.SyncGoTrueAdminAPI"
_STORAGE = "storage3.SyncStorageClient"
_STORAGE_BUCKET = "storage3.SyncBucketProxy"
_FUNCTIONS = "supabase_functions.SyncFunctionsClient"
_SUPABASE_ADVICE = "use the async client (`await supabase.acreate_client(...)`, then `await ...execute()`)"
_POSTGREST_BUILDERS = (
    "select", "insert", "update", "upsert", "delete", "eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike",
    "like_all_of", "like_any_of", "ilike_all_of", "ilike_any_of", "is_", "in_", "contains", "contained_by", "cs",
    "cd", "ov", "overlaps", "sl", "sr", "nxl", "nxr", "adj", "range_gt", "range_gte", "range_lt", "range_lte",
    "range_adjacent", "fts", "plfts", "phfts", "wfts", "text_search", "match", "filter", "or_", "order", "limit",
    "offset", "range", "single", "maybe_single", "csv", "explain", "strip_nulls", "max_affected", "retry",
)  # fmt: skip
SUPABASE = BlockingPackage(
    name="supabase",
    family=_OTHER,
    replacement=_SUPABASE_ADVICE,
    alternative="`supabase.acreate_client` / `supabase.AsyncClient`",
    types=(
        ReceiverType(
            (_SUPABASE, "supabase.client.Client", "supabase._sync.client.Client", "supabase._sync.client.SyncClient", "supabase.create_client", "supabase.client.create_client"),
            # the client only hands out builders and sub-clients
            blocking=frozenset(),
            returns={"table": _POSTGREST, "from_": _POSTGREST, "rpc": _POSTGREST, "schema": _SUPABASE},
            attributes={"auth": _GOTRUE, "storage": _STORAGE, "functions": _FUNCTIONS, "postgrest": _SUPABASE},
        ),
        ReceiverType(
            (_POSTGREST, "postgrest.SyncPostgrestClient"),
            blocking=frozenset({"execute"}),
            returns={**_same(_POSTGREST, _POSTGREST_BUILDERS), "from_": _POSTGREST, "table": _POSTGREST, "rpc": _POSTGREST},
            attributes={"not_": _POSTGREST},
        ),
        ReceiverType(
            (_GOTRUE, "gotrue.SyncGoTrueClient", "supabase.SupabaseAuthClient", "supabase._sync.auth_client.SyncSupabaseAuthClient"),
            pure=frozenset({"on_auth_state_change", "sign_in_with_oauth", "close"}),
            attributes={"admin": _GOTRUE_ADMIN},
        ),
        ReceiverType((_GOTRUE_ADMIN, "gotrue.SyncGoTrueAdminAPI"), pure=frozenset({"close"})),
        ReceiverType((_STORAGE,), pure=frozenset({"from_", "analytics", "vectors"}), returns={"from_": _STORAGE_BUCKET}),
        ReceiverType((_STORAGE_BUCKET,), pure=frozenset({"get_public_url"})),
        ReceiverType((_FUNCTIONS, "supafunc.SyncFunctionsClient"), pure=frozenset({"set_auth"})),
    ),
    values={
        **_same(_SUPABASE, ("supabase.create_client", "supabase.client.create_client", "supabase._sync.client.create_client", "supabase.Client.create", "supabase.Client", "supabase.client.Client")),
    },
    note="Query builders (`.table(...).select(...).eq(...)`) are pure; `.execute()` sends the request.",
)

_BOTO_CLIENT = "botocore.client.BaseClient"
_BOTO_RESOURCE = "boto3.resources.base.ServiceResource"
_BOTO_SESSION = "boto3.session.Session"
_BOTO_ADVICE = "use `aioboto3` / `aiobotocore`, or `await asyncio.to_thread(...)`"
BOTO3 = BlockingPackage(
    name="boto3",
    family=_OTHER,
    replacement=_BOTO_ADVICE,
    alternative="`aioboto3`, `aiobotocore`",
    types=(
        ReceiverType(
            (_BOTO_CLIENT, "botocore.client.Client", "boto3.client", "boto3.session.Session.client"),
            # Signing a URL is local; a paginator or waiter does its requests when used.
            pure=frozenset({"can_paginate", "close", "generate_presigned_url", "generate_presigned_post", "get_paginator", "get_waiter"}),
            returns={"get_paginator": "botocore.paginate.Paginator", "get_waiter": "botocore.waiter.Waiter"},
        ),
        ReceiverType(("botocore.paginate.Paginator",), blocking=frozenset(), lazy=frozenset({"paginate"})),
        ReceiverType(("botocore.waiter.Waiter",), blocking=frozenset({"wait"})),
        ReceiverType(
            (_BOTO_RESOURCE, "boto3.resource", "boto3.session.Session.resource"),
            # `s3.Bucket(name)`, `dynamodb.Table(name)`: handles, loaded on first use
            capitalised_pure=True,
            pure=frozenset({"get_available_subresources"}),
            returns=_same(_BOTO_RESOURCE, ("Bucket", "Object", "ObjectSummary", "Table", "Queue", "Topic", "Instance", "Image", "Volume", "Vpc", "User", "Role", "Message")),
            attributes={"meta": "boto3.resources.base.ResourceMeta"},
        ),
        ReceiverType(("boto3.resources.base.ResourceMeta",), blocking=frozenset(), attributes={"client": _BOTO_CLIENT}),
        ReceiverType((_BOTO_SESSION, "boto3.Session"), blocking=frozenset({"get_credentials"}), returns={"client": _BOTO_CLIENT, "resource": _BOTO_RESOURCE}),
    ),
    values={_BOTO_SESSION: _BOTO_SESSION, "boto3.Session": _BOTO_SESSION},
    note="Creating a client or resource reads its service model from disk once; that is not flagged.",
)

# --- vector databases ---

_PINECONE = "pinecone.Pinecone"
_PINECONE_INDEX = "pinecone.Index"
_PINECONE_ADVICE = "use `pinecone.PineconeAsyncio` (`async with pc.IndexAsyncio(host=...) as index: await index.query(...)`)"
PINECONE = BlockingPackage(
    name="pinecone",
    family=_OTHER,
    replacement=_PINECONE_ADVICE,
    alternative="`pinecone.PineconeAsyncio`, `IndexAsyncio`",
    types=(
        ReceiverType(
            (_PINECONE, "pinecone.control.pinecone.Pinecone", "pinecone.pinecone.Pinecone"),
            # `pc.Index(host=...)` builds a handle (given only a name it first looks the host up:
            # not told apart, so not flagged)
            pure=frozenset({"Index", "IndexAsyncio", "Admin"}),
            returns={"Index": _PINECONE_INDEX},
        ),
        ReceiverType((_PINECONE_INDEX, "pinecone.data.index.Index", "pinecone.db_data.index.Index"), pure=frozenset({"close"})),
    ),
    values={_PINECONE: _PINECONE, "pinecone.control.pinecone.Pinecone": _PINECONE},
)

_CHROMA_CLIENT = "chromadb.api.ClientAPI"
_CHROMA_COLLECTION = "chromadb.api.models.Collection.Collection"
_CHROMA_CLIENTS = ("chromadb.Client", "chromadb.PersistentClient", "chromadb.HttpClient", "chromadb.EphemeralClient", "chromadb.CloudClient")
_CHROMA_ADVICE = "use `await chromadb.AsyncHttpClient(...)` (its collections' methods are coroutines), or `await asyncio.to_thread(...)` for an embedded client"
CHROMADB = BlockingPackage(
    name="chromadb",
    family=_OTHER,
    replacement=_CHROMA_ADVICE,
    alternative="`chromadb.AsyncHttpClient`",
    types=(
        ReceiverType(
            (_CHROMA_CLIENT, *_CHROMA_CLIENTS),
            pure=frozenset({"get_settings"}),
            returns=_same(_CHROMA_COLLECTION, ("get_collection", "get_or_create_collection", "create_collection")),
        ),
        # A query embeds its texts (a local model or an HTTP call) and searches the index.
        ReceiverType((_CHROMA_COLLECTION, "chromadb.Collection"), pure=frozenset({"get_model"})),
    ),
    values={name: _CHROMA_CLIENT for name in _CHROMA_CLIENTS},
)

# --- media ---

_YTDL = "yt_dlp.YoutubeDL"
_YTDL_ADVICE = "run it in a thread: `await asyncio.to_thread(ydl.extract_info, url, download=False)` (yt-dlp has no async API)"
YT_DLP = BlockingPackage(
    name="yt_dlp",
    family=_OTHER,
    replacement=_YTDL_ADVICE,
    alternative="none: hand the call to a thread",
    types=(
        ReceiverType(
            (_YTDL, "yt_dlp.YoutubeDL.YoutubeDL", "youtube_dl.YoutubeDL", "youtube_dl.YoutubeDL.YoutubeDL"),
            # Only these fetch or download; the rest format, hook and report.
            blocking=frozenset({"extract_info", "download", "download_with_info_file", "process_ie_result", "process_info", "process_video_result", "urlopen"}),
        ),
    ),
    values={_YTDL: _YTDL, "yt_dlp.YoutubeDL.YoutubeDL": _YTDL, "youtube_dl.YoutubeDL": _YTDL, "youtube_dl.YoutubeDL.YoutubeDL": _YTDL},
)

_GENAI_MODEL = "google.generativeai.GenerativeModel"
_GENAI_CHAT = "google.generativeai.ChatSession"
_GENAI_ADVICE = "use `await model.generate_content_async(...)` / `await chat.send_message_async(...)` (or the `google.genai` client's `.aio`)"
GOOGLE_GENERATIVEAI = BlockingPackage(
    name="google-generativeai",
    family=_OTHER,
    replacement=_GENAI_ADVICE,
    alternative="`generate_content_async`, `send_message_async`; `google.genai.Client().aio`",
    types=(
        ReceiverType(
            (_GENAI_MODEL, "google.generativeai.generative_models.GenerativeModel"),
            blocking=frozenset({"generate_content", "count_tokens"}),
            returns={"start_chat": _GENAI_CHAT},
        ),
        ReceiverType((_GENAI_CHAT, "google.generativeai.generative_models.ChatSession"), blocking=frozenset({"send_message"})),
    ),
    calls=(
        *_calls(_OTHER, _GENAI_ADVICE, (f"google.generativeai.{name}" for name in (
            "embed_content", "get_model", "get_tuned_model", "upload_file", "get_file", "delete_file", "generate_text",
            "generate_embeddings", "count_message_tokens", "count_text_tokens", "create_tuned_model", "chat",
        ))),
        *(BlockingCall(f"google.generativeai.{name}", _OTHER, _GENAI_ADVICE, Handoff.NEVER, lazy=True) for name in ("list_models", "list_tuned_models", "list_files")),
    ),
    values={_GENAI_MODEL: _GENAI_MODEL, "google.generativeai.generative_models.GenerativeModel": _GENAI_MODEL},
)

# --- other network protocols ---

_SMTP = "smtplib.SMTP"
_FTP = "ftplib.FTP"
_SSH = "paramiko.SSHClient"
_SFTP = "paramiko.SFTPClient"
_SMTP_ADVICE = "use `aiosmtplib` (`await aiosmtplib.send(...)`), or `await asyncio.to_thread(...)` around the whole exchange"
_FTP_ADVICE = "use `aioftp`, or `await asyncio.to_thread(...)` around the whole transfer"
_SSH_ADVICE = "use `asyncssh`, or `await asyncio.to_thread(...)` around the whole session"
NETWORK_PROTOCOLS = (
    BlockingPackage(
        name="smtplib",
        family=_OTHER,
        replacement=_SMTP_ADVICE,
        alternative="`aiosmtplib`",
        types=(ReceiverType((_SMTP, "smtplib.SMTP_SSL", "smtplib.LMTP"), pure=frozenset({"set_debuglevel", "has_extn", "close"})),),
        # connecting happens in the constructor only when a host is given
        calls=_calls(_OTHER, _SMTP_ADVICE, ("smtplib.SMTP", "smtplib.SMTP_SSL", "smtplib.LMTP"), Handoff.NEVER, destination=(0, "host")),
        values={_SMTP: _SMTP, "smtplib.SMTP_SSL": _SMTP, "smtplib.LMTP": _SMTP},
    ),
    BlockingPackage(
        name="ftplib",
        family=_OTHER,
        replacement=_FTP_ADVICE,
        alternative="`aioftp`",
        types=(ReceiverType((_FTP, "ftplib.FTP_TLS"), pure=frozenset({"set_debuglevel", "set_pasv", "close", "getwelcome", "debug"})),),
        calls=_calls(_OTHER, _FTP_ADVICE, ("ftplib.FTP", "ftplib.FTP_TLS"), Handoff.NEVER, destination=(0, "host")),
        values={_FTP: _FTP, "ftplib.FTP_TLS": _FTP},
    ),
    BlockingPackage(
        name="paramiko",
        family=_OTHER,
        replacement=_SSH_ADVICE,
        alternative="`asyncssh`",
        types=(
            ReceiverType(
                (_SSH, "paramiko.client.SSHClient"),
                pure=frozenset({"set_missing_host_key_policy", "get_host_keys", "set_log_channel", "get_transport", "close"}),
                returns={"open_sftp": _SFTP},
                statement_only=frozenset({"exec_command", "open_sftp", "invoke_shell"}),
            ),
            ReceiverType((_SFTP, "paramiko.sftp_client.SFTPClient", "paramiko.SFTPClient.from_transport"), pure=frozenset({"close", "get_channel"}), statement_only=frozenset({"open", "file"})),
        ),
        calls=_calls(_OTHER, _SSH_ADVICE, ["paramiko.SFTPClient.from_transport"], Handoff.NEVER),
        values={_SSH: _SSH, "paramiko.client.SSHClient": _SSH},
    ),
)

# --- files ---

FILE_OBJECT = "io.TextIOWrapper"
FILE_PROTOCOL = "typing.IO"
_FILE_QUERIES = frozenset({"fileno", "isatty", "readable", "writable", "seekable", "detach"})
_FILE_ADVICE = "use `aiofiles` / `anyio.open_file` (`await f.read()`), or do the whole read/write in `await asyncio.to_thread(...)`"
_TEMPDIR_ADVICE = (
    "make it in a thread (`path = await asyncio.to_thread(tempfile.mkdtemp)`) and remove it in one "
    "(`await asyncio.to_thread(shutil.rmtree, path)`), or before the event loop starts"
)
_OPEN_ADVICE = "use `async with aiofiles.open(...)` or `await anyio.open_file(...)`, or do the whole read/write in `await asyncio.to_thread(...)`"
FILE_OBJECTS = BlockingPackage(
    name="file objects",
    family=_FILE,
    replacement=_FILE_ADVICE,
    alternative="`aiofiles.open`, `anyio.open_file`, `trio.open_file`",
    types=(
        ReceiverType(
            (
                FILE_OBJECT, "io.BufferedReader", "io.BufferedWriter", "io.BufferedRandom", "io.BufferedRWPair",
                "io.FileIO", "_io.TextIOWrapper", "_io.BufferedReader", "_io.BufferedWriter", "builtins.open",
                "io.open", "io.open_code", "codecs.open", "os.fdopen", "gzip.open", "gzip.GzipFile", "bz2.open",
                "bz2.BZ2File", "lzma.open", "lzma.LZMAFile", "tempfile.NamedTemporaryFile", "tempfile.TemporaryFile",
            ),
            # Asking about the file object itself touches no disk.
            pure=_FILE_QUERIES,
        ),
        ReceiverType(
            (FILE_PROTOCOL, "typing.TextIO", "typing.BinaryIO", "io.IOBase", "io.RawIOBase", "io.BufferedIOBase", "io.TextIOBase"),
            pure=_FILE_QUERIES,
            protocol=True,
        ),
    ),
    calls=(
        *_calls(_FILE, _OPEN_ADVICE, ["builtins.open", "io.open", "io.open_code", "codecs.open", "pathlib.Path.open", "os.fdopen"], Handoff.NEVER),
        *_calls(_FILE, _OPEN_ADVICE, ["gzip.open", "bz2.open", "lzma.open"], Handoff.NEVER),
        *_calls(_FILE, _FILE_ADVICE, ["tempfile.NamedTemporaryFile", "tempfile.TemporaryFile"], Handoff.NEVER),
        *_calls(_FILE, _TEMPDIR_ADVICE, ["tempfile.TemporaryDirectory"], Handoff.NEVER),
        *_calls(_FILE, _FILE_ADVICE, ["tempfile.mkstemp"]),
        *_calls(_FILE, _TEMPDIR_ADVICE, ["tempfile.mkdtemp"]),
        *_calls(BlockingFamily.OTHER, "use `await asyncio.to_thread(sys.stdin.readline)` (or an `asyncio.StreamReader` on stdin)", ["sys.stdin.read", "sys.stdin.readline", "sys.stdin.readlines"]),
    ),
    values={"pathlib.Path.open": FILE_OBJECT},
    note=(
        "An object made by `open(...)` (or `tempfile.NamedTemporaryFile`, `gzip.open`...) or annotated as a "
        "file (`f: io.TextIOWrapper`, `io.BufferedReader`) blocks on every method. One annotated only with a "
        "stream protocol (`typing.TextIO`, `typing.BinaryIO`, `IO[str]`, `io.IOBase`) counts when it is a plain "
        "name (a parameter or variable), not an attribute its class manages (a spooled upload kept in memory); "
        "`io.StringIO`/`io.BytesIO` never block."
    ),
)

_PANDAS_FRAME = "pandas.DataFrame"
_POLARS_FRAME = "polars.DataFrame"
_FRAME_ADVICE = "do the whole read (or write) in `await asyncio.to_thread(...)`"
_PANDAS_READERS = (
    "read_csv", "read_table", "read_fwf", "read_excel", "read_json", "read_parquet", "read_feather", "read_orc",
    "read_pickle", "read_hdf", "read_html", "read_xml", "read_sas", "read_spss", "read_stata",
)  # fmt: skip
_PANDAS_WRITERS = {
    # method -> the (position, keyword) of the destination; without it the text (or bytes) is returned
    "to_csv": (0, "path_or_buf"), "to_json": (0, "path_or_buf"), "to_parquet": (0, "path"), "to_excel": (0, "excel_writer"),
    "to_pickle": (0, "path"), "to_feather": (0, "path"), "to_hdf": (0, "path_or_buf"), "to_stata": (0, "path"),
    "to_orc": (0, "path"), "to_xml": (0, "path_or_buffer"), "to_html": (0, "buf"), "to_markdown": (0, "buf"),
}  # fmt: skip
_POLARS_READERS = ("read_csv", "read_parquet", "read_json", "read_ndjson", "read_excel", "read_ods", "read_ipc", "read_avro", "read_delta")
_POLARS_WRITERS = {
    "write_csv": (0, "file"), "write_json": (0, "file"), "write_ndjson": (0, "file"), "write_parquet": (0, "file"),
    "write_ipc": (0, "file"), "write_avro": (0, "file"), "write_delta": (0, "target"),
}  # fmt: skip
PANDAS = BlockingPackage(
    name="pandas",
    family=_FILE,
    replacement=_FRAME_ADVICE,
    alternative="`await asyncio.to_thread(pd.read_csv, path)`",
    calls=(
        *(BlockingCall(f"pandas.{name}", _FILE, _FRAME_ADVICE, file_argument=0) for name in _PANDAS_READERS),
        *_calls(_OTHER, _FRAME_ADVICE, ("pandas.read_sql", "pandas.read_sql_query", "pandas.read_sql_table", "pandas.read_gbq")),
        *_calls(_FILE, _FRAME_ADVICE, ("pandas.ExcelFile",), Handoff.NEVER, file_argument=0),
        *(BlockingCall(f"{_PANDAS_FRAME}.{name}", _FILE, _FRAME_ADVICE, destination=where) for name, where in _PANDAS_WRITERS.items()),
        BlockingCall(f"{_PANDAS_FRAME}.to_sql", _OTHER, _FRAME_ADVICE),
    ),
    values={
        **_same(_PANDAS_FRAME, (f"pandas.{name}" for name in (*_PANDAS_READERS, "read_sql", "read_sql_query", "read_sql_table"))),
        _PANDAS_FRAME: _PANDAS_FRAME,
        "pandas.core.frame.DataFrame": _PANDAS_FRAME,
    },
    note="`df.to_csv()` with no path returns the text and is not flagged; nor is anything on an `io.StringIO`/`io.BytesIO`.",
)
POLARS = BlockingPackage(
    name="polars",
    family=_FILE,
    replacement=_FRAME_ADVICE,
    alternative="`await asyncio.to_thread(pl.read_csv, path)`; `pl.scan_*` stays lazy",
    calls=(
        *(BlockingCall(f"polars.{name}", _FILE, _FRAME_ADVICE, file_argument=0) for name in _POLARS_READERS),
        *_calls(_OTHER, _FRAME_ADVICE, ("polars.read_database", "polars.read_database_uri")),
        *(BlockingCall(f"{_POLARS_FRAME}.{name}", _FILE, _FRAME_ADVICE, destination=where) for name, where in _POLARS_WRITERS.items()),
        # with no workbook, `write_excel` writes `dataframe.xlsx` in the working directory
        BlockingCall(f"{_POLARS_FRAME}.write_excel", _FILE, _FRAME_ADVICE),
        BlockingCall(f"{_POLARS_FRAME}.write_database", _OTHER, _FRAME_ADVICE),
    ),
    values={
        **_same(_POLARS_FRAME, (f"polars.{name}" for name in (*_POLARS_READERS, "read_database", "read_database_uri"))),
        _POLARS_FRAME: _POLARS_FRAME,
        "polars.dataframe.frame.DataFrame": _POLARS_FRAME,
    },
)

_PDF_ADVICE = "do the whole PDF read (open, pages, text) in `await asyncio.to_thread(...)`"
PDF_READERS = BlockingPackage(
    name="pypdf / PyPDF2 / pdfplumber / PyMuPDF",
    family=_FILE,
    replacement=_PDF_ADVICE,
    alternative="`await asyncio.to_thread(extract_text, path)`",
    calls=tuple(
        BlockingCall(name, _FILE, _PDF_ADVICE, Handoff.NEVER, file_argument=0)
        for name in ("pypdf.PdfReader", "PyPDF2.PdfReader", "PyPDF2.PdfFileReader", "pdfplumber.open", "fitz.open", "pymupdf.open")
    ),
    note="`PdfReader(io.BytesIO(data))` reads memory and is not flagged.",
)

PACKAGES: tuple[BlockingPackage, ...] = (
    REQUESTS,
    _httpx("httpx"),
    _httpx("httpx2"),
    URLLIB3,
    HTTP_CLIENT,
    REDIS,
    PYMONGO,
    SQLALCHEMY,
    PSYCOPG2,
    PSYCOPG,
    PYMYSQL,
    ELASTICSEARCH,
    SUPABASE,
    BOTO3,
    PINECONE,
    CHROMADB,
    GOOGLE_GENERATIVEAI,
    YT_DLP,
    *NETWORK_PROTOCOLS,
    FILE_OBJECTS,
    PANDAS,
    POLARS,
    PDF_READERS,
)
"""Every sync I/O package the knowledge describes, in the order the docs page lists them."""


def _type_names() -> dict[str, ReceiverType]:
    found: dict[str, ReceiverType] = {}
    for package in PACKAGES:
        for receiver in package.types:
            for name in receiver.names:
                found[name] = receiver
    return found


RECEIVER_TYPES: Mapping[str, ReceiverType] = _type_names()
"""Every name a receiver type of a package goes by -> the type."""

PACKAGE_OF: Mapping[str, BlockingPackage] = {
    name: package for package in PACKAGES for receiver in package.types for name in receiver.names
}
"""Every receiver type name -> its package."""
