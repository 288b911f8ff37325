#!/usr/bin/env python3
"""The framework suite's Python half: stores written by the real frameworks, then checked only through the
frameworks' own Qdrant stores (test/frameworks/frameworks.test.ts drives it; read test/frameworks/README.md).

  frameworks.py write DIR                     writes every store under DIR, plus DIR/<store>/truth.json
  frameworks.py check DIR STORE URL COLL      checks the migrated collection COLL, prints one JSON report

Deterministic: fixed seeds, fake embeddings from sha256 of the text (no model download).
"""
import hashlib
import json
import math
import random
import sys
import uuid
from pathlib import Path

DIM = 16
# The engine's document-id namespace (electron/engine/point-id.ts, docs/sources.md): an application
# computes the point id of a non-UUID document id exactly like this.
DOCUMENT_ID_NAMESPACE = uuid.UUID("35817b70-502b-55ff-a4cf-ae0cb7a44677")


def point_id(doc_id):
    """What the migration made of a document id: the UUID itself in canonical form, or uuid5."""
    try:
        u = uuid.UUID(doc_id)
        # Qdrant accepts hyphens all or none; other spellings are names, not UUIDs
        if doc_id.count("-") in (0, 4):
            return str(u)
    except ValueError:
        pass
    return str(uuid.uuid5(DOCUMENT_ID_NAMESPACE, doc_id))


def fake_vector(text, unit=False):
    h = hashlib.sha256(text.encode("utf-8")).digest()
    v = [((b / 255.0) * 4.0 - 2.0) for b in h[:DIM]]
    if unit:
        n = math.sqrt(sum(x * x for x in v))
        v = [x / n for x in v]
    return v


def awkward_metadata(i):
    """Everything the issue lists: nested dicts and lists, None, bools, ints above 2^53, whole-number floats,
    -0.0, 1e300, unicode, empty and __proto__ keys."""
    return {
        "category": ["alpha", "beta", "gamma"][i % 3],
        "page": i,
        "nested": {"a": {"b": [1, 2.5, {"c": None}]}, "lists": [[1, 2], [], ["x"]]},
        "none": None,
        "yes": True,
        "no": False,
        "above53": 2**53 + 1 + i,
        "int64": 2**63 - 1,
        "neg_int64": -(2**63),
        "whole": 5.0,
        "neg_zero": -0.0,
        "huge": 1e300,
        "float60": float(2**60),
        "tiny": 2.5e-7,
        "score": 0.1 + 0.2,
        "emoji": "🚀✨ ok",
        "rtl": "עברית והערבية",
        "": "empty key",
        "__proto__": {"polluted": True},
        "source": f"files/doc-{i}.md",
    }


def texts(n, seed):
    rnd = random.Random(seed)
    words = ["vector", "qdrant", "faiss", "migrate", "ünïcödé", "東京", "עברית", "🚀", "disk", "payload"]
    out = []
    for i in range(n):
        body = " ".join(rnd.choice(words) for _ in range(8))
        if i == 3:
            body += "\r\nCRLF line\x00NUL inside"
        out.append(f"{i}: {body}")
    return out


# ---------------------------------------------------------------- writing


class FakeEmbeddings:
    def __init__(self, unit=False):
        self.unit = unit

    def embed_documents(self, ts):
        return [fake_vector(t, self.unit) for t in ts]

    def embed_query(self, t):
        return fake_vector(t, self.unit)


def lc_embeddings(unit=False):
    from langchain_core.embeddings import Embeddings

    class E(Embeddings):
        def embed_documents(self, ts):
            return [fake_vector(t, unit) for t in ts]

        def embed_query(self, t):
            return fake_vector(t, unit)

    return E()


def langchain_ids(n):
    rnd = random.Random(11)
    ids = [str(uuid.UUID(int=rnd.getrandbits(128), version=4)) for _ in range(n)]
    ids[1] = uuid.UUID(int=rnd.getrandbits(128), version=4).hex.upper()  # UUID, upper case, no hyphens
    ids[2] = "doc-2"  # arbitrary string
    ids[4] = "chapter 3 / §2"
    ids[5] = "文档-αβγ-🚀"  # unicode string
    ids[6] = "{" + str(uuid.UUID(int=rnd.getrandbits(128), version=4)).upper() + "}"  # braced, upper case
    return ids


def write_langchain(folder, n, ip, deleted, seed):
    from langchain_community.vectorstores import FAISS
    from langchain_community.vectorstores.utils import DistanceStrategy
    from langchain_core.documents import Document

    ts = texts(n, seed)
    ids = langchain_ids(n)
    docs = [Document(page_content=t, metadata=awkward_metadata(i), id=ids[i]) for i, t in enumerate(ts)]
    kw = {"distance_strategy": DistanceStrategy.MAX_INNER_PRODUCT, "normalize_L2": True} if ip else {}
    # inner product over unit vectors: LangChain's normalize_L2 does nothing for MAX_INNER_PRODUCT, so the
    # embeddings themselves are unit length, as normalised embedding models' are
    store = FAISS.from_documents(docs, lc_embeddings(unit=ip), ids=ids, **kw)
    if deleted:
        store.delete([ids[d] for d in deleted])
    store.save_local(str(folder))
    kept = [i for i in range(n) if i not in deleted]
    # FAISS's own answer for each kept document's vector: its top 10, by document id
    queries = []
    for i in kept[:20]:
        q = fake_vector(ts[i], unit=ip)
        hits = store.similarity_search_with_score_by_vector(q, k=10)
        queries.append({"doc": ids[i], "vector": q, "top10": [h[0].id for h in hits]})
    return {"framework": "langchain", "ids": [ids[i] for i in kept], "queries": queries, "distance": "Cosine" if ip else "Euclid", "unit": ip}


def write_langchain_collide(folder):
    """Two documents whose ids are one UUID in two spellings: the migration must refuse, naming both."""
    from langchain_community.vectorstores import FAISS
    from langchain_core.documents import Document

    u = uuid.UUID(int=random.Random(5).getrandbits(128), version=4)
    ids = [str(u), u.hex.upper(), "other"]
    docs = [Document(page_content=f"t{i}", metadata={}, id=x) for i, x in enumerate(ids)]
    FAISS.from_documents(docs, lc_embeddings(), ids=ids).save_local(str(folder))
    return {"framework": "langchain", "ids": ids}


def write_llamaindex(folder, n, seed):
    import faiss
    from llama_index.core import StorageContext, VectorStoreIndex
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
    from llama_index.vector_stores.faiss import FaissVectorStore

    ts = texts(n, seed)
    rnd = random.Random(seed)
    nodes = []
    for i, t in enumerate(ts):
        node = TextNode(id_=str(uuid.UUID(int=rnd.getrandbits(128), version=4)), text=t, metadata=awkward_metadata(i), embedding=fake_vector(t))
        if i % 4 != 0:
            node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=f"file-{i % 3}")
        nodes.append(node)
    vs = FaissVectorStore(faiss_index=faiss.IndexFlatL2(DIM))
    sc = StorageContext.from_defaults(vector_store=vs)
    VectorStoreIndex(nodes, storage_context=sc, embed_model=_llama_embed())
    sc.persist(persist_dir=str(folder))
    from llama_index.core.vector_stores.types import VectorStoreQuery

    queries = []
    for node in nodes[:20]:
        r = vs.query(VectorStoreQuery(query_embedding=node.embedding, similarity_top_k=10))
        queries.append({"doc": node.node_id, "vector": node.embedding, "top10": list(r.ids)})
    # FaissVectorStore answers with its row numbers: map them to node ids
    nodes_dict = json.loads(next(iter(json.loads((folder / "index_store.json").read_text())["index_store/data"].values()))["__data__"])["nodes_dict"]
    for q in queries:
        q["top10"] = [nodes_dict[str(x)] for x in q["top10"]]
    return {"framework": "llamaindex", "ids": [x.node_id for x in nodes], "queries": queries, "distance": "Euclid"}


def _llama_embed():
    from llama_index.core.embeddings import MockEmbedding

    return MockEmbedding(embed_dim=DIM)


def write(root):
    root = Path(root)
    stores = {
        "lc-l2": lambda f: write_langchain(f, 60, ip=False, deleted=[7, 30], seed=1),
        "lc-ip": lambda f: write_langchain(f, 40, ip=True, deleted=[], seed=2),
        "lc-collide": write_langchain_collide,
        "li-l2": lambda f: write_llamaindex(f, 40, seed=3),
    }
    for name, fn in stores.items():
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "truth.json").write_text(json.dumps(fn(folder)))
    print(json.dumps(sorted(stores)))


# ---------------------------------------------------------------- checking


def strict_equal(a, b, path="", out=None):
    """Deep equality with Python types strict: int is not float, -0.0 is not 0.0, bool is not int."""
    out = [] if out is None else out
    if type(a) is not type(b):
        out.append(f"{path or '(root)'}: {type(a).__name__} {a!r} vs {type(b).__name__} {b!r}")
    elif isinstance(a, float):
        if not (a == b and math.copysign(1, a) == math.copysign(1, b)) and not (math.isnan(a) and math.isnan(b)):
            out.append(f"{path}: {a!r} vs {b!r}")
    elif isinstance(a, dict):
        if set(a) != set(b):
            out.append(f"{path}: keys {sorted(set(a) ^ set(b))} differ")
        for k in a.keys() & b.keys():
            strict_equal(a[k], b[k], f"{path}.{k}" if path else str(k), out)
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} vs {len(b)} items")
        for i, (x, y) in enumerate(zip(a, b)):
            strict_equal(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(f"{path}: {a!r} vs {b!r}")
    return out


def lc_id(doc):
    """langchain-qdrant returns a point's id in metadata["_id"] (Document.id stays None)."""
    return str(doc.metadata["_id"])


def lc_metadata(doc):
    """The document's metadata as langchain-qdrant returns it, less `_collection_name` (which names the collection)."""
    return {k: v for k, v in doc.metadata.items() if k != "_collection_name"}


def without_xnai(payload):
    return {k: v for k, v in payload.items() if k != "_xnai"}


def check_langchain(client, truth, coll, ref, distance):
    from langchain_qdrant import QdrantVectorStore
    from qdrant_client import models

    dist = getattr(models.Distance, distance.upper())
    emb = lc_embeddings(unit=truth.get("unit", False))
    store = QdrantVectorStore(client=client, collection_name=coll, embedding=emb, distance=dist)
    ids = truth["ids"]
    pids = [point_id(i) for i in ids]
    report = {}

    # get_by_ids with the store's own ids: UUID spellings as they are, other ids through the documented uuid5
    got = store.get_by_ids([i if _is_uuid(i) else point_id(i) for i in ids])
    report["get_by_ids"] = {"asked": len(ids), "found": len({lc_id(d) for d in got})}

    # the reference: the same documents written by langchain-qdrant itself, on the same server
    client.create_collection(ref, vectors_config=models.VectorParams(size=DIM, distance=dist))
    reference = QdrantVectorStore(client=client, collection_name=ref, embedding=emb, distance=dist)
    reference.add_documents(_source_documents(truth), ids=pids)
    ref_docs = {lc_id(d): d for d in reference.get_by_ids(pids)}
    mine = {lc_id(d): d for d in got}
    diffs = []
    for pid in pids:
        diffs += [f"{pid} text" for _ in [0] if mine[pid].page_content != ref_docs[pid].page_content]
        diffs += [f"{pid} metadata {e}" for e in strict_equal(lc_metadata(ref_docs[pid]), lc_metadata(mine[pid]))]
    # and every payload byte for byte, but for the migration's own _xnai
    p_mine = {str(p.id): p.payload for p in client.retrieve(coll, pids, with_payload=True)}
    p_ref = {str(p.id): p.payload for p in client.retrieve(ref, pids, with_payload=True)}
    for pid in pids:
        diffs += [f"{pid} payload {e}" for e in strict_equal(p_ref[pid], without_xnai(p_mine[pid]))]
    report["documents_equal_reference"] = {"compared": len(pids), "differences": diffs[:10]}

    report.update(_search_checks(truth, lambda v, k: [lc_id(d) for d in store.similarity_search_by_vector(v, k=k)], point_id))

    # metadata filters written langchain's way: same points as on the reference
    f = models.Filter(must=[models.FieldCondition(key="metadata.category", match=models.MatchValue(value="gamma"))])
    q = fake_vector("filter query", unit=truth.get("unit", False))
    a = sorted(lc_id(d) for d in store.similarity_search_by_vector(q, k=100, filter=f))
    b = sorted(lc_id(d) for d in reference.similarity_search_by_vector(q, k=100, filter=f))
    report["filter"] = {"migrated": len(a), "reference": len(b), "same": a == b}

    # delete by ids removes exactly those
    before = client.count(coll, exact=True).count
    gone = [point_id(ids[2]), point_id(ids[5])]
    store.delete(ids=gone)
    after = client.count(coll, exact=True).count
    left = {lc_id(d) for d in store.get_by_ids(pids)}
    report["delete"] = {"before": before, "after": after, "removed_exactly": left == set(pids) - set(gone)}
    return report


def _is_uuid(s):
    try:
        uuid.UUID(s)
        return s.count("-") in (0, 4)
    except ValueError:
        return False


def _source_documents(truth):
    """The documents as the LangChain store holds them (what the reference writes)."""
    from langchain_community.vectorstores import FAISS

    store = FAISS.load_local(truth["folder"], lc_embeddings(unit=truth.get("unit", False)), allow_dangerous_deserialization=True)
    return [store.docstore.search(i) for i in truth["ids"]]


def _search_checks(truth, search, to_pid):
    own_first = 0
    top10_equal = 0
    mism = []
    for q in truth["queries"]:
        got = search(q["vector"], 10)
        if got and got[0] == to_pid(q["doc"]):
            own_first += 1
        want = [to_pid(i) for i in q["top10"]]
        if got == want:
            top10_equal += 1
        elif len(mism) < 3:
            mism.append({"query": q["doc"], "faiss": want, "qdrant": got})
    return {"own_vector_first": {"queries": len(truth["queries"]), "first": own_first}, "top10_equal_faiss": {"queries": len(truth["queries"]), "equal": top10_equal, "examples": mism}}


def check_llamaindex(client, truth, coll, ref, distance):
    from llama_index.core import StorageContext, load_index_from_storage
    from llama_index.core.vector_stores.types import ExactMatchFilter, MetadataFilters, VectorStoreQuery
    from llama_index.vector_stores.faiss import FaissVectorStore
    from llama_index.vector_stores.qdrant import QdrantVectorStore
    from qdrant_client import models

    dist = getattr(models.Distance, distance.upper())
    store = QdrantVectorStore(client=client, collection_name=coll)
    ids = truth["ids"]
    report = {}
    got = store.get_nodes(node_ids=ids)
    report["get_by_ids"] = {"asked": len(ids), "found": len({n.node_id for n in got})}

    # the reference: llama-index's own QdrantVectorStore.add of the same nodes (from the persisted docstore)
    vs = FaissVectorStore.from_persist_dir(truth["folder"])
    sc = StorageContext.from_defaults(vector_store=vs, persist_dir=truth["folder"])
    nodes = [sc.docstore.get_node(i) for i in ids]
    for node in nodes:
        node.embedding = fake_vector(node.get_content(metadata_mode="none"))
    client.create_collection(ref, vectors_config=models.VectorParams(size=DIM, distance=dist))
    reference = QdrantVectorStore(client=client, collection_name=ref)
    reference.add(nodes)
    mine = {n.node_id: n for n in got}
    theirs = {n.node_id: n for n in reference.get_nodes(node_ids=ids)}
    diffs = []
    for i in ids:
        diffs += [f"{i} text" for _ in [0] if mine[i].get_content() != theirs[i].get_content()]
        diffs += [f"{i} metadata {e}" for e in strict_equal(theirs[i].metadata, mine[i].metadata)]
    p_mine = {str(p.id): p.payload for p in client.retrieve(coll, ids, with_payload=True)}
    p_ref = {str(p.id): p.payload for p in client.retrieve(ref, ids, with_payload=True)}
    for i in ids:
        diffs += [f"{i} payload {e}" for e in strict_equal(p_ref[i], without_xnai(p_mine[i]))]
    report["documents_equal_reference"] = {"compared": len(ids), "differences": diffs[:10]}

    report.update(_search_checks(truth, lambda v, k: list(store.query(VectorStoreQuery(query_embedding=v, similarity_top_k=k)).ids), lambda i: i))

    # a node's own `source` metadata, filtered llama-index's way, finds it on both collections
    filters = MetadataFilters(filters=[ExactMatchFilter(key="source", value="files/doc-5.md")])
    a = sorted(n.node_id for n in store.get_nodes(filters=filters))
    b = sorted(n.node_id for n in reference.get_nodes(filters=filters))
    report["filter"] = {"migrated": len(a), "reference": len(b), "same": a == b}

    before = client.count(coll, exact=True).count
    gone = [ids[1], ids[4]]
    store.delete_nodes(node_ids=gone)
    after = client.count(coll, exact=True).count
    left = {n.node_id for n in store.get_nodes(node_ids=ids)}
    report["delete"] = {"before": before, "after": after, "removed_exactly": left == set(ids) - set(gone)}
    return report


def check(root, name, url, coll):
    from qdrant_client import QdrantClient

    folder = Path(root) / name
    truth = json.loads((folder / "truth.json").read_text())
    truth["folder"] = str(folder)
    client = QdrantClient(url=url, prefer_grpc=False, timeout=60)
    ref = f"{coll}_reference"
    if client.collection_exists(ref):
        client.delete_collection(ref)
    fn = check_langchain if truth["framework"] == "langchain" else check_llamaindex
    print(json.dumps(fn(client, truth, coll, ref, truth["distance"])))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "write":
        write(sys.argv[2])
    elif cmd == "check":
        check(*sys.argv[2:6])
    else:
        sys.exit(f"unknown command {cmd}")
