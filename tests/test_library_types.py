"""Objects of sync I/O libraries reached through one another (`knowledge/library_types.py`):
a pymongo client's attributes and items are databases, theirs collections; what blocks is a
collection's server call, not the builders."""

from __future__ import annotations

from tests.helpers import check, expected_markers

PYMONGO = """\
import pymongo

db = pymongo.MongoClient("mongodb://localhost").app
client = pymongo.MongoClient()


async def handler(uid):
    db.users.find_one({"id": uid})  # error: ASL304
    client["app"]["users"].insert_one({})  # error: ASL304
    users = client.get_database("app").get_collection("users")
    users.count_documents({})  # error: ASL304
    for doc in users.find({}):  # error: ASL304
        print(doc)
    cursor = users.find({})  # a cursor: nothing runs until it is iterated
    archive = users.archive  # a sub-collection, no I/O
    users.with_options()
    client.close()
    return cursor, archive


def sync_handler(uid):
    return db.users.find_one({"id": uid})  # sync code may block
"""


def test_pymongo_objects_are_known_through_attributes_items_and_methods() -> None:
    found = {(d.start.row, d.code) for d in check(PYMONGO, frozenset({"ASL304"}))}
    assert found == expected_markers(PYMONGO)
