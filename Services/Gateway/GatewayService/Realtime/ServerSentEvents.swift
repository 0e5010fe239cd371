import Foundation
import Hummingbird
import NIOCore

extension Gateway {
    /// `GET /api/v1/visitor/events`: the visitor's events as `text/event-stream`, the fallback for
    /// browsers without WebSocket. The token goes in `Authorization`; `Last-Event-ID: <session_id>:<seq>`
    /// (sent by the browser on reconnect) resumes after that event. Event ids are `<session_id>:<seq>`.
    func serverSentEvents(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let visitor = try await visitor(request, context: context)
        var resume = Self.resumePoints(request.headers[.lastEventID])
        resume.merge(Self.resumePoints(request.query("resume"))) { old, _ in old }
        let (_, frames, cleanup) = await openSubscriber(.visitor(visitor), resume: resume)
        let body = ResponseBody { writer in
            let (ticks, tick) = AsyncStream<Void>.makeStream()
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    tick.yield()
                }
            }
            defer {
                ticker.cancel()
                tick.finish()
                Task { await cleanup() }
            }
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            var merged = Self.merge(frames, ticks)
            while let item = await merged.next() {
                try await writer.write(ByteBuffer(string: Self.sseText(item)))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", .connection: "keep-alive"],
            body: body)
    }

    /// One SSE message for a frame, or a comment for a keepalive.
    static func sseText(_ frame: [UInt8]?) -> String {
        guard let frame else { return ": keepalive\n\n" }
        let text = String(decoding: frame, as: UTF8.self)
        var lines = ""
        if let object = try? JSONDecoder().decode([String: JSONValueLite].self, from: Data(frame)) {
            if case .string(let session)? = object["session_id"], case .number(let seq)? = object["seq"] {
                lines += "id: \(session):\(Int(seq))\n"
            }
            if case .string(let event)? = object["event"] { lines += "event: \(event)\n" }
            else if case .string(let type)? = object["type"] { lines += "event: \(type)\n" }
        }
        return lines + "data: \(text)\n\n"
    }

    /// Frames and keepalive ticks as one sequence (a tick becomes nil); ends with the frames.
    static func merge(_ frames: AsyncStream<[UInt8]>, _ ticks: AsyncStream<Void>) -> AsyncStream<[UInt8]?>.Iterator {
        let (stream, continuation) = AsyncStream<[UInt8]?>.makeStream()
        let framesTask = Task {
            for await frame in frames { continuation.yield(frame) }
            continuation.finish()
        }
        let ticksTask = Task {
            for await _ in ticks { continuation.yield(nil) }
        }
        continuation.onTermination = { _ in
            framesTask.cancel()
            ticksTask.cancel()
        }
        return stream.makeAsyncIterator()
    }
}

/// Just enough JSON to read a frame's routing fields.
enum JSONValueLite: Decodable {
    case string(String)
    case number(Double)
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .other
        }
    }
}
