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
        let socket = await openSubscriber(.visitor(visitor), resume: resume)
        let body = ResponseBody { writer in
            let input = socket.input
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    input.yield(.keepalive)
                }
            }
            defer {
                ticker.cancel()
                Task { await socket.cleanup() }
            }
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            for await item in socket.items {
                switch item {
                case .frame(let frame): try await writer.write(ByteBuffer(string: Self.sseText(frame)))
                case .keepalive: try await writer.write(ByteBuffer(string: Self.sseText(nil)))
                case .client: break
                }
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
