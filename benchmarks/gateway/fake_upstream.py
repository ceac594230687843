"""A fast fake OpenAI-compatible upstream for the gateway benchmark (a separate process).

POST /v1/chat/completions answers JSON, or a 10-event SSE stream; POST /control/fail?mode=M switches it to
failing (M: 451 by default, 500, 502, 503, "hang" (never answers), "refused" (stops listening and drops its
open connections)) and starts counting the requests it receives from then on; GET /control/stats reports
them. With --control-port the control endpoints also listen there, reachable after "refused".
"""

from __future__ import annotations

import argparse
import asyncio
import json

from aiohttp import web

ANSWER = json.dumps({
    "id": "chatcmpl-bench", "object": "chat.completion", "created": 1, "model": "bench",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello from the benchmark upstream."},
                 "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 12, "completion_tokens": 8, "total_tokens": 20}}).encode()


def _chunk(delta: dict, finish: str | None = None) -> bytes:
    return ("data: " + json.dumps({"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 1,
                                   "model": "bench", "choices": [{"index": 0, "delta": delta,
                                                                  "finish_reason": finish}]}) + "\n\n").encode()


STREAM = b"".join([_chunk({"role": "assistant", "content": ""}),
                   *(_chunk({"content": f" word{i}"}) for i in range(8)), _chunk({}, "stop"), b"data: [DONE]\n\n"])
FAILURE = json.dumps({"error": {"message": "unavailable for legal reasons", "type": "request_forbidden"}}).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--control-port", type=int, default=None)
    args = parser.parse_args()
    state = {"failing": False, "mode": "451", "after_failure": 0, "total": 0}
    sites: list[web.TCPSite] = []

    async def chat(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        state["total"] += 1
        if state["failing"]:
            state["after_failure"] += 1
            if state["mode"] == "hang":
                await asyncio.sleep(3600)
            if state["mode"] == "refused":
                assert request.transport is not None
                request.transport.abort()  # a connection opened before the switch: dropped
                return web.Response()
            return web.Response(status=int(state["mode"]), body=FAILURE, content_type="application/json")
        if body.get("stream"):
            response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
            await response.prepare(request)
            await response.write(STREAM)
            await response.write_eof()
            return response
        return web.Response(body=ANSWER, content_type="application/json")

    async def models(request: web.Request) -> web.Response:
        if state["failing"]:
            return web.Response(status=451, body=FAILURE, content_type="application/json")
        return web.json_response({"object": "list", "data": [{"id": "bench", "object": "model"}]})

    async def fail(request: web.Request) -> web.Response:
        state["failing"], state["mode"] = True, request.query.get("mode", "451")
        if state["mode"] == "refused":
            await sites[0].stop()  # new connections are refused from now on
        return web.json_response(state)

    async def stats(request: web.Request) -> web.Response:
        return web.json_response(state)

    async def serve() -> None:
        app = web.Application()
        app.add_routes([web.post("/v1/chat/completions", chat), web.get("/v1/models", models),
                        web.post("/control/fail", fail), web.get("/control/stats", stats)])
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for port in (args.port, args.control_port):
            if port is not None:
                sites.append(web.TCPSite(runner, "127.0.0.1", port))
                await sites[-1].start()
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
