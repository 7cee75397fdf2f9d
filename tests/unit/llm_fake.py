"""A fake OpenAI-compatible server (Starlette + uvicorn on 127.0.0.1, in a thread) for the AI layer tests.

It serves ``POST /v1/chat/completions``, plain or streamed (server-sent events, with the usage chunk
when ``stream_options.include_usage`` is set), and records every request it receives, so a test can
prove what reached the "provider" and what did not.

Tests script its behaviour, one step per request (``fake.then(...)``); with the script empty it
answers with ``fake.default`` (a callable of the request body returning the content). Steps:

* ``Answer(content, prompt_tokens, completion_tokens)``: a completion with that content;
* ``Status(code, headers, message)``: an error (429 with ``retry-after-ms``, 500...);
* ``Slow(seconds, answer)``: waits before answering (non-streamed), or after the first chunks
  (streamed), to trigger the client's timeout.

Two misbehaving models, as defaults (``fake.default = llm_fake.wrong_shape`` or ``llm_fake.prose``):
``wrong_shape`` answers valid JSON that is not the structure asked for, ``prose`` answers French text
with no JSON at all (as a model that ignores JSON mode does).

Use the ``fake_llm`` fixture (import it, and ``fake_llm_server``, into the test module).
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass(frozen=True)
class Answer:
    content: str
    prompt_tokens: int = 120
    completion_tokens: int = 80


@dataclass(frozen=True)
class Status:
    code: int
    headers: dict[str, str] = field(default_factory=dict)
    message: str = "fake error"


@dataclass(frozen=True)
class Slow:
    seconds: float
    answer: Answer


Step = Answer | Status | Slow

# Valid JSON, but none of the features' structures (no synthese, explication or metier; lists as text).
WRONG_SHAPE = json.dumps(
    {
        "reponse": {"texte": "Voici mon analyse du parcours."},
        "competences": "relation client, encaissement",
        "themes": "mobilité",
        "score": 3,
    },
    ensure_ascii=False,
)
PROSE = (
    "Bien sûr ! Voici mon analyse : la personne a développé un solide sens du service et de l'organisation, "
    "qui se transfère au commerce et à l'accueil. Je vous conseille d'approfondir la mobilité."
)


def wrong_shape(body: dict[str, Any]) -> str:
    return WRONG_SHAPE


def prose(body: dict[str, Any]) -> str:
    return PROSE


def _completion(body: dict[str, Any], answer: Answer) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.content}, "finish_reason": "stop"}],
        "usage": {
            "prompt_tokens": answer.prompt_tokens,
            "completion_tokens": answer.completion_tokens,
            "total_tokens": answer.prompt_tokens + answer.completion_tokens,
        },
    }


def _chunk(body: dict[str, Any], delta: dict[str, Any] | None, usage: dict[str, int] | None = None) -> str:
    payload = {
        "id": "chatcmpl-stream",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": None}],
    }
    if usage is not None:
        payload["usage"] = usage
    return f"data: {json.dumps(payload)}\n\n"


class FakeLLM:
    """The server's behaviour and its record of requests (reset before each test)."""

    CHUNK_CHARS = 40

    def __init__(self) -> None:
        self.url = ""
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.script: list[Step] = []
        self.default: Callable[[dict[str, Any]], str] = lambda body: "{}"
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.headers.clear()
            self.script.clear()
            self.default = lambda body: "{}"

    def then(self, *steps: Step) -> FakeLLM:
        with self._lock:
            self.script.extend(steps)
        return self

    def sent_text(self) -> str:
        """Everything the clients sent, as one string (to look for what must not be there)."""
        return "\n".join(json.dumps(body, ensure_ascii=False) for body in self.requests)

    def _next(self, body: dict[str, Any]) -> Step:
        with self._lock:
            self.requests.append(body)
            if self.script:
                return self.script.pop(0)
        return Answer(self.default(body))

    # ------------------------------------------------------------ the endpoint

    async def chat_completions(self, request: Request) -> Response:
        body = await request.json()
        self.headers.append({key.lower(): value for key, value in request.headers.items()})
        step = self._next(body)
        if isinstance(step, Status):
            error = {"error": {"message": step.message, "type": "fake_error", "code": str(step.code)}}
            return JSONResponse(error, status_code=step.code, headers=step.headers)
        delay, answer = (step.seconds, step.answer) if isinstance(step, Slow) else (0.0, step)
        if not body.get("stream"):
            await asyncio.sleep(delay)
            return JSONResponse(_completion(body, answer))
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        return StreamingResponse(self._events(body, answer, delay, include_usage), media_type="text/event-stream")

    async def _events(self, body: dict[str, Any], answer: Answer, delay: float, usage: bool) -> AsyncIterator[str]:
        yield _chunk(body, {"role": "assistant", "content": ""})
        pieces = [answer.content[i : i + self.CHUNK_CHARS] for i in range(0, len(answer.content), self.CHUNK_CHARS)]
        for number, piece in enumerate(pieces):
            if number == 1 and delay:
                await asyncio.sleep(delay)  # stalls mid-answer
            yield _chunk(body, {"content": piece})
        if usage:
            counts = {
                "prompt_tokens": answer.prompt_tokens,
                "completion_tokens": answer.completion_tokens,
                "total_tokens": answer.prompt_tokens + answer.completion_tokens,
            }
            yield _chunk(body, None, counts)
        yield "data: [DONE]\n\n"

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/chat/completions", self.chat_completions, methods=["POST"])])


@pytest.fixture(scope="session")
def fake_llm_server() -> Any:
    fake = FakeLLM()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(fake.app(), log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake LLM server did not start")
        time.sleep(0.01)
    fake.url = f"http://127.0.0.1:{port}"
    yield fake
    server.should_exit = True
    thread.join(timeout=5)
    sock.close()


@pytest.fixture
def fake_llm(fake_llm_server: FakeLLM) -> FakeLLM:
    fake_llm_server.reset()
    yield fake_llm_server
    fake_llm_server.reset()
