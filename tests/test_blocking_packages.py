"""Blocking by package (`knowledge/blocking_packages.py`): a receiver whose type comes from a sync
I/O package blocks on every public method but the package's pure ones. One example per package
family, each with the pure look-alikes (builders, accessors, bookkeeping) that must stay silent,
the same calls in sync code, and the async client's calls."""

from __future__ import annotations

from pathlib import Path

import pytest

from async_lint.analysis.blocking_calls import catalog
from async_lint.config import BlockingPackageOption, ConfigError, RuleOptions, read_config_file
from async_lint.engine.checker import check_text
from async_lint.rules import build_rule_set
from async_lint.knowledge.blocking_model import BlockingFamily, ReceiverType
from async_lint.knowledge.blocking_packages import PACKAGES, RECEIVER_TYPES
from tests.helpers import check, expected_markers, run_cli

BLOCKING = frozenset({"ASL301", "ASL302", "ASL303", "ASL304", "ASL305"})

REDIS = """\
import redis
import redis.asyncio as aioredis

r = redis.Redis(host="cache")


async def handler(key: str):
    r.setex(key, 60, "v")  # error: ASL304
    r.hset("h", "f", 1)  # error: ASL304
    r.incr("hits")  # error: ASL304
    r.zadd("board", {"a": 1})  # error: ASL304
    pipe = r.pipeline()
    pipe.set("a", 1)
    pipe.incr("b")
    pipe.execute()  # error: ASL304
    with r.pipeline() as p:
        p.hset("h", "f", 2)
        p.execute()  # error: ASL304
    sub = r.pubsub()
    sub.subscribe("news")  # error: ASL304
    lock = r.lock("job")
    lock.acquire()  # error: ASL304
    r.close()
    return r.get_encoder()


async def async_client(key: str):
    client = aioredis.Redis()
    await client.setex(key, 60, "v")
    pipe = client.pipeline()
    pipe.set("a", 1)
    await pipe.execute()


def sync_code(key: str):
    r.setex(key, 60, "v")
    r.pipeline().execute()
"""

PYMONGO = """\
import pymongo
from pymongo.collection import Collection

client = pymongo.MongoClient()
db = client.app


async def handler(uid, users: Collection):
    db.users.find_one({"id": uid})  # error: ASL304
    client["app"]["orders"].insert_one({})  # error: ASL304
    users.update_one({"id": uid}, {"$set": {"seen": True}})  # error: ASL304
    users.count_documents({})  # error: ASL304
    rows = list(users.find({}).sort("name").limit(5))  # error: ASL304
    for doc in users.find({"x": 1}):  # error: ASL304
        print(doc)
    users.aggregate([{"$match": {}}])  # error: ASL304
    client.admin.command("ping")  # error: ASL304
    cursor = users.find({}).sort("name")  # a cursor: nothing runs until it is iterated
    later = users.find({"late": True})  # error: ASL304
    for doc in later:  # ... and it is iterated right here
        print(doc)
    archive = db.users.archive  # a sub-collection
    db.get_collection("logs").with_options()
    client.get_database("app")
    client.close()
    return rows, cursor, archive


def sync_handler(uid):
    return db.users.find_one({"id": uid})
"""

SQLALCHEMY = """\
from fastapi import Depends, FastAPI
from sqlalchemy import create_engine, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine("postgresql://db")
SessionLocal = sessionmaker(bind=engine)
app = FastAPI()


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


@app.get("/users")
async def list_users(db: Session = Depends(get_db)):
    db.add(object())
    db.add_all([])
    db.delete(object())
    db.expire_all()
    db.flush()  # error: ASL304
    db.commit()  # error: ASL304
    users = db.query(object).filter_by(active=True).all()  # error: ASL304
    first = db.scalars(select(object)).first()  # error: ASL304
    db.refresh(first)  # error: ASL304
    db.get(object, 1)  # error: ASL304
    query = db.query(object).filter_by(active=True)  # a query: runs when iterated or fetched
    return users, query


async def with_a_session():
    with SessionLocal() as session:
        session.execute(select(object))  # error: ASL304
    with engine.connect() as conn:  # error: ASL304
        conn.execute(select(object))  # error: ASL304


async def async_session(session: AsyncSession):
    session.add(object())
    await session.execute(select(object))
    await session.commit()


async def async_sessionmaker_of_the_old_style():
    factory = sessionmaker(engine, class_=AsyncSession)
    async with factory() as session:
        await session.execute(select(object))  # awaited: an async session, whatever its factory
        await session.commit()


@app.get("/sync")
def sync_route(db: Session = Depends(get_db)):
    return db.query(object).all()
"""

SQL_DRIVERS = """\
import psycopg2
import pymysql


async def postgres(dsn: str):
    conn = psycopg2.connect(dsn)  # error: ASL304
    cur = conn.cursor()
    cur.execute("SELECT 1")  # error: ASL304
    rows = cur.fetchall()  # error: ASL304
    conn.commit()  # error: ASL304
    cur.mogrify("SELECT %s", (1,))
    conn.get_dsn_parameters()
    conn.close()
    return rows


async def mysql(conn: pymysql.connections.Connection):
    with conn.cursor() as cur:
        cur.execute("SELECT 1")  # error: ASL304
    conn.ping()  # error: ASL304
    conn.escape("x")
    return conn.insert_id()
"""

ELASTICSEARCH = """\
from elasticsearch import AsyncElasticsearch, Elasticsearch, helpers

es = Elasticsearch("http://search:9200")


async def search(q: str, aes: AsyncElasticsearch):
    es.search(index="docs", query={"match": {"text": q}})  # error: ASL304
    es.index(index="docs", document={"text": q})  # error: ASL304
    es.indices.create(index="docs")  # error: ASL304
    es.options(request_timeout=5).count(index="docs")  # error: ASL304
    helpers.bulk(es, [])  # error: ASL304
    scoped = es.options(request_timeout=5)
    await aes.search(index="docs")
    return scoped
"""

SUPABASE = """\
from supabase import Client, create_client

supabase: Client = create_client("https://x.supabase.co", "key")


async def profile(user_id: str, token: str):
    supabase.auth.get_user(token)  # error: ASL304
    query = supabase.table("profiles").select("*").eq("id", user_id).limit(1)
    rows = query.execute()  # error: ASL304
    supabase.table("profiles").update({"seen": True}).eq("id", user_id).execute()  # error: ASL304
    supabase.storage.from_("avatars").upload("a.png", b"")  # error: ASL304
    url = supabase.storage.from_("avatars").get_public_url("a.png")
    supabase.auth.on_auth_state_change(print)
    return rows, url
"""

BOTO3 = """\
import boto3

s3 = boto3.client("s3")
resource = boto3.resource("s3")


async def upload(data, key: str):
    s3.put_object(Bucket="b", Key=key, Body=data)  # error: ASL304
    s3.upload_fileobj(data, "b", key)  # error: ASL304
    s3.get_object(Bucket="b", Key=key)  # error: ASL304
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "b", "Key": key})
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket="b"):  # error: ASL304
        print(page)
    bucket = resource.Bucket("b")
    bucket.upload_file("/tmp/x", key)  # error: ASL304
    resource.meta.client.upload_file("/tmp/x", "b", key)  # error: ASL304
    table = boto3.resource("dynamodb").Table("t")
    table.put_item(Item={"k": key})  # error: ASL304
    return url, s3.meta, s3.exceptions
"""

GENAI = """\
import google.generativeai as genai

model = genai.GenerativeModel("gemini-1.5-flash")


async def ask(prompt: str):
    reply = model.generate_content(prompt)  # error: ASL304
    chat = model.start_chat(history=[])
    chat.send_message(prompt)  # error: ASL304
    later = await model.generate_content_async(prompt)
    await chat.send_message_async(prompt)
    genai.configure(api_key="k")
    return reply, later, chat.history
"""

NETWORK = """\
import ftplib
import smtplib

import paramiko


async def mail(message):
    server = smtplib.SMTP("mail.example.com", 587)  # error: ASL304
    server.starttls()  # error: ASL304
    server.login("u", "p")  # error: ASL304
    server.send_message(message)  # error: ASL304
    server.set_debuglevel(1)
    unconnected = smtplib.SMTP()


async def transfer():
    ftp = ftplib.FTP("ftp.example.com")  # error: ASL304
    ftp.login()  # error: ASL304
    ssh = paramiko.SSHClient()
    ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    ssh.connect("host")  # error: ASL304
    ssh.exec_command("ls")  # error: ASL304
    sftp = ssh.open_sftp()  # error: ASL304
    sftp.put("a", "b")  # error: ASL304
"""

FILES = """\
import io
import shutil
import sys
import tempfile
import typing
from typing import IO

import aiofiles


async def annotated(f: io.TextIOWrapper, out: typing.TextIO, raw: typing.BinaryIO, stream: IO[str]):
    f.read()  # error: ASL302
    f.readline()  # error: ASL302
    out.write("x")  # error: ASL302
    raw.read(10)  # error: ASL302
    stream.readlines()  # error: ASL302
    f.fileno()
    out.isatty()


async def opened(path: str):
    handle = open(path)  # error: ASL302
    handle.read()  # error: ASL302
    with tempfile.NamedTemporaryFile() as tmp:  # error: ASL302
        tmp.write(b"x")  # error: ASL302
    shutil.copy(path, "/tmp/b")  # error: ASL302
    sys.stdin.readline()  # error: ASL304
    sys.stdout.write("not flagged: the console")


async def in_memory():
    buffer = io.StringIO()
    buffer.write("x")
    return buffer.getvalue()


async def async_files(path: str):
    async with aiofiles.open(path) as f:
        return await f.read()


class Upload:
    file: typing.BinaryIO  # a protocol: the class may keep it in memory (a spooled file)

    async def read(self):
        return self.file.read()
"""

FRAMES = """\
import io

import pandas as pd
import polars as pl
from pypdf import PdfReader


async def report(path: str, text: str, data: bytes):
    df = pd.read_csv(path)  # error: ASL302
    pd.read_excel("book.xlsx")  # error: ASL302
    df.to_csv("out.csv")  # error: ASL302
    df.to_excel(path)  # error: ASL302
    df.to_parquet(path="out.parquet")  # error: ASL302
    csv_text = df.to_csv()  # no path: returns the text
    df.to_csv(io.StringIO())
    from_memory = pd.read_csv(io.StringIO(text))
    frame = pl.read_parquet(path)  # error: ASL302
    frame.write_csv("out.csv")  # error: ASL302
    frame.write_csv()
    reader = PdfReader(path)  # error: ASL302
    PdfReader(io.BytesIO(data))
    return csv_text, from_memory, reader, df.head(), df.describe()
"""

VECTORS_AND_MEDIA = """\
import chromadb
from pinecone import Pinecone, PineconeAsyncio
from yt_dlp import YoutubeDL

pc = Pinecone(api_key="k")
index = pc.Index(host="h")
client = chromadb.PersistentClient(path="db")
collection = client.get_or_create_collection("docs")


async def search(vector):
    index.query(vector=vector, top_k=3)  # error: ASL304
    index.upsert(vectors=[])  # error: ASL304
    pc.list_indexes()  # error: ASL304
    handle = pc.Index(host="other")
    collection.query(query_texts=["x"], n_results=3)  # error: ASL304
    collection.add(ids=["1"], documents=["d"])  # error: ASL304
    client.get_collection("docs")  # error: ASL304
    client.get_settings()
    async with PineconeAsyncio(api_key="k") as apc:
        async with apc.IndexAsyncio(host="h") as aindex:
            await aindex.query(vector=vector, top_k=3)
    return handle


async def media(url):
    ydl = YoutubeDL({"quiet": True})
    ydl.extract_info(url, download=False)  # error: ASL304
    ydl.prepare_filename({})
    ydl.add_progress_hook(print)


def sync_code(vector, url):
    index.query(vector=vector, top_k=3)
    collection.query(query_texts=["x"])
    YoutubeDL().extract_info(url)
"""

FAMILIES = {
    "redis": REDIS,
    "pymongo": PYMONGO,
    "sqlalchemy": SQLALCHEMY,
    "sql-drivers": SQL_DRIVERS,
    "elasticsearch": ELASTICSEARCH,
    "supabase": SUPABASE,
    "boto3": BOTO3,
    "google-generativeai": GENAI,
    "smtp-ftp-ssh": NETWORK,
    "files": FILES,
    "pandas-polars-pdf": FRAMES,
    "vector-databases-and-media": VECTORS_AND_MEDIA,
}


@pytest.mark.parametrize("family", FAMILIES)
def test_package_family(family: str) -> None:
    source = FAMILIES[family]
    found = {(d.start.row, d.code) for d in check(source, BLOCKING)}
    assert found == expected_markers(source)


HTTP = """\
import httpx
import requests
import urllib3


glob_client = httpx.Client()


async def clients(url: str, client: httpx.Client | None, session: requests.Session):
    client.get(url)  # error: ASL301
    client.send(client.build_request("GET", url))  # error: ASL301
    glob_client.post(url)  # error: ASL301
    session.get(url)  # error: ASL301
    session.mount("https://", None)
    pool: urllib3.PoolManager = urllib3.PoolManager()
    pool.request("GET", url)  # error: ASL301
    pool.urlopen("GET", url)  # error: ASL301
    pool.connection_from_url(url)
    client.close()
"""


def test_http_clients_by_annotation_and_module_global() -> None:
    found = {(d.start.row, d.code) for d in check(HTTP, BLOCKING)}
    assert found == expected_markers(HTTP)


def test_every_package_is_well_formed() -> None:
    """Type names are qualified, pure and blocking lists never overlap, `returns` and
    `attributes` name known types, and every family is one of the rules'."""
    for package in PACKAGES:
        assert package.family in (BlockingFamily.HTTP, BlockingFamily.FILE_IO, BlockingFamily.OTHER)
        for receiver in package.types:
            assert all("." in name for name in receiver.names), receiver.names
            assert not receiver.pure & receiver.lazy, receiver.name
            if receiver.blocking is not None:
                assert not receiver.pure & receiver.blocking, receiver.name
            for made in (*receiver.returns.values(), *receiver.attributes.values()):
                assert made in RECEIVER_TYPES or made in package.values.values(), (receiver.name, made)


def test_default_is_blocking_minus_pure_and_private() -> None:
    redis = RECEIVER_TYPES["redis.Redis"]
    assert redis.blocks("hset") and redis.blocks("some_future_command")
    assert not redis.blocks("pipeline") and not redis.blocks("_send") and not redis.blocks("__enter__")
    builder = RECEIVER_TYPES["postgrest.SyncRequestBuilder"]
    assert builder.blocks("execute") and not builder.blocks("eq") and not builder.blocks("anything_else")
    assert catalog(RuleOptions()).get("redis.client.Redis.hset") is not None, "every name of the type"
    assert catalog(RuleOptions()).get("redis.Redis.pipeline") is None


def test_allow_blocking_covers_package_defaults() -> None:
    known = catalog(RuleOptions(allow_blocking=frozenset({"redis"})))
    assert known.get("redis.Redis.hset") is None
    assert known.get("pymongo.collection.Collection.find_one") is not None


CONFIGURED = """\
import mydb


async def handler(conn: mydb.Connection):
    conn.query("SELECT 1")  # error: ASL304
    conn.cursor()
"""


def test_configured_package() -> None:
    option = BlockingPackageOption("mydb", "use `mydb.aio`", (("mydb.Connection", ("cursor",)),))
    found = check_text(CONFIGURED, "example.py", build_rule_set(BLOCKING, RuleOptions(blocking_packages=(option,))))
    assert {(d.start.row, d.code) for d in found} == expected_markers(CONFIGURED)
    assert "use `mydb.aio`" in found[0].message
    assert check_text(CONFIGURED, "example.py", build_rule_set(BLOCKING, RuleOptions())) == []


def test_configured_package_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.async-lint.blocking-packages.mydb]\n"
        'replacement = "use `mydb.aio.Connection`"\n'
        'family = "other"\n'
        'types = { "mydb.Connection" = ["cursor", "close"] }\n'
    )
    (tmp_path / "app.py").write_text(CONFIGURED)
    result = run_cli("check", "--no-cache", "--select", "ASL304", str(tmp_path / "app.py"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "app.py:5:5: ASL304 `conn.query()` (`mydb.Connection.query`)" in result.stdout
    assert "use `mydb.aio.Connection`" in result.stdout
    assert ":6:" not in result.stdout


@pytest.mark.parametrize(
    ("table", "complaint"),
    [
        ('types = { "mydb.Connection" = [] }', "replacement"),
        ('replacement = "x"', "types"),
        ('replacement = "x"\ntypes = { "Connection" = [] }', "not a qualified name"),
        ('replacement = "x"\ntypes = { "mydb.Connection" = "cursor" }', "expected a list of strings"),
        ('replacement = "x"\nfamily = "sleepy"\ntypes = { "mydb.Connection" = [] }', "family"),
        ('replacement = "x"\npure = []\ntypes = { "mydb.Connection" = [] }', "unknown key 'pure'"),
    ],
)
def test_configured_package_is_validated(tmp_path: Path, table: str, complaint: str) -> None:
    file = tmp_path / "pyproject.toml"
    file.write_text(f"[tool.async-lint.blocking-packages.mydb]\n{table}\n")
    with pytest.raises(ConfigError, match=complaint):
        read_config_file(file)


def test_receiver_type_defaults() -> None:
    builder = ReceiverType(("x.Builder",), blocking=frozenset({"run"}), lazy=frozenset({"iterate"}))
    assert builder.blocks("run") and builder.blocks("iterate") and not builder.blocks("where")
    resource = ReceiverType(("x.Resource",), capitalised_pure=True)
    assert not resource.blocks("Bucket") and resource.blocks("upload_file")


CHAIN = """\
import redis
from supabase import Client

cache = redis.Redis()


class Profiles:
    def __init__(self, client: Client):
        self.client = client

    def load(self, user_id):
        return self.client.table("profiles").select("*").eq("id", user_id).execute()

    def query_only(self, user_id):
        return self.client.table("profiles").select("*").eq("id", user_id)


def remember(key):
    cache.setex(key, 60, "1")


def pipeline_only():
    pipe = cache.pipeline()
    pipe.set("a", 1)
    return pipe


async def handler(profiles: Profiles, key):
    remember(key)  # error: ASL305
    profiles.load(key)  # error: ASL305
    profiles.query_only(key)
    pipeline_only()
"""


def test_call_chains_reach_package_methods() -> None:
    found = check(CHAIN, frozenset({"ASL305"}))
    assert {(d.start.row, d.code) for d in found} == expected_markers(CHAIN)
    assert "redis.Redis.setex" in found[0].message
    assert "postgrest.SyncRequestBuilder.execute" in found[1].message
