"""How objects of sync I/O libraries are reached from one another, as data: which attribute or
item of an object is another object (a pymongo client's attributes are databases, a database's
attributes and items are collections), and what the types are called.

The type inference reads these shapes; what blocks on each type, and its async twin, is in
`blocking_calls`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ObjectShape:
    """What reading an attribute, or an item, of an object of one type gives."""

    attributes: str | None = None
    """The type of any attribute that is not one of `methods` (`client.app_db`: a Database)."""
    items: str | None = None
    """The type of `obj[key]` (`db["users"]`: a Collection)."""
    methods: frozenset[str] = frozenset()
    """Names that are methods or plain attributes of the object itself, never `attributes`."""


_MONGO_CLIENT = "pymongo.mongo_client.MongoClient"
_MONGO_DATABASE = "pymongo.database.Database"
_MONGO_COLLECTION = "pymongo.collection.Collection"

SHAPES: dict[str, ObjectShape] = {
    _MONGO_CLIENT: ObjectShape(
        attributes=_MONGO_DATABASE,
        items=_MONGO_DATABASE,
        methods=frozenset(
            {
                "address", "admin", "bulk_write", "close", "codec_options", "drop_database", "get_database",
                "get_default_database", "is_primary", "list_database_names", "list_databases", "nodes",
                "options", "primary", "read_concern", "read_preference", "server_info", "start_session",
                "topology_description", "watch", "with_options", "write_concern",
            }
        ),
    ),
    _MONGO_DATABASE: ObjectShape(
        attributes=_MONGO_COLLECTION,
        items=_MONGO_COLLECTION,
        methods=frozenset(
            {
                "aggregate", "client", "codec_options", "command", "create_collection", "cursor_command",
                "dereference", "drop_collection", "get_collection", "list_collection_names", "list_collections",
                "name", "read_concern", "read_preference", "validate_collection", "watch", "with_options",
                "write_concern",
            }
        ),
    ),
    _MONGO_COLLECTION: ObjectShape(
        attributes=_MONGO_COLLECTION,  # `db.users.archive` is the sub-collection `users.archive`
        methods=frozenset(
            {
                "aggregate", "aggregate_raw_batches", "bulk_write", "codec_options", "count_documents",
                "create_index", "create_indexes", "create_search_index", "database", "delete_many",
                "delete_one", "distinct", "drop", "drop_index", "drop_indexes", "estimated_document_count",
                "find", "find_one", "find_one_and_delete", "find_one_and_replace", "find_one_and_update",
                "find_raw_batches", "full_name", "index_information", "insert_many", "insert_one",
                "list_indexes", "name", "options", "read_concern", "read_preference", "rename",
                "replace_one", "update_many", "update_one", "watch", "with_options", "write_concern",
            }
        ),
    ),
}
"""By the qualified type name the inference gives the object (`VALUE_TYPES` in
`blocking_calls` maps constructors and factories to these names)."""
