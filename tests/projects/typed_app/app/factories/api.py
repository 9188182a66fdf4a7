from app.factories.builders import Retriever, build_graph, get_http, make_anything, open_db


async def handler(question: str) -> list:
    get_http().get("https://example.com")  # error: ASL301
    db = open_db()  # error: ASL305
    db.execute("select 1")  # error: ASL304
    graph = build_graph()
    graph.invoke({"question": question})  # error: ASL404
    retriever = Retriever().load_retriever()
    documents = retriever.invoke(question)  # error: ASL400
    Retriever().llm().invoke(question)  # error: ASL400
    make_anything().invoke(question)  # an unknown return: nothing to report
    return documents
