"""The floor: the smallest aiohttp pass-through (no routing, no failover, no telemetry), for reference."""

import sys

import aiohttp
from aiohttp import web


def main() -> None:
    port, upstream_port = int(sys.argv[1]), int(sys.argv[2])
    upstream = f"http://127.0.0.1:{upstream_port}/v1/chat/completions"

    async def session(app: web.Application):
        app["session"] = aiohttp.ClientSession()
        yield
        await app["session"].close()

    async def relay(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        async with request.app["session"].post(upstream, data=body,
                                               headers={"Content-Type": "application/json"}) as answer:
            if answer.content_type == "text/event-stream":
                response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
                await response.prepare(request)
                async for chunk in answer.content.iter_any():
                    await response.write(chunk)
                await response.write_eof()
                return response
            return web.Response(body=await answer.read(), content_type="application/json")

    async def health(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.cleanup_ctx.append(session)
    app.add_routes([web.post("/v1/chat/completions", relay), web.get("/healthz", health)])
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
