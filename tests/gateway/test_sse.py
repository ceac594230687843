"""The SSE parser: events split anywhere across reads, CRLF line ends, multi-line data, a cut event."""

from __future__ import annotations

from offramp.gateway.sse import SSEParser, frame


def test_events_split_across_reads_and_crlf() -> None:
    stream = b"event: message_start\r\ndata: {\"a\": 1}\r\n\r\n: comment\n\ndata: line1\ndata: line2\n\n"
    parser = SSEParser()
    events = [e for i in range(len(stream)) for e in parser.feed(stream[i:i + 1])]
    assert [(name, data) for name, data, _ in events] == [("message_start", '{"a": 1}'), (None, "line1\nline2")]
    assert not parser.pending


def test_a_cut_event_is_pending() -> None:
    parser = SSEParser()
    assert list(parser.feed(b"data: {\"choices\": [")) == []
    assert parser.pending


def test_frame_round_trips() -> None:
    parser = SSEParser()
    [(name, data, raw)] = list(parser.feed(frame({"type": "ping"}, "ping")))
    assert (name, data) == ("ping", '{"type":"ping"}') and raw == frame({"type": "ping"}, "ping")
