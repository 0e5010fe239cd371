import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// The switch from HTTP/1.1 to a WebSocket (RFC 6455 §4.2), done by the route that authenticated the
/// request, on whichever request of the connection asks for it.
///
/// The gateway serves plain HTTP/1.1 (no NIO upgrade handler, which only looks at a connection's first
/// request): a refused upgrade is an ordinary JSON error answer, and an accepted one replaces the HTTP
/// codec of the connection's pipeline with WebSocket frame handlers; the socket's own task then owns the
/// connection and the HTTP layer's task ends (see ``WebSocketBridge``).
enum WebSocketUpgrade {
    /// Whether `request` asks for a WebSocket (`Upgrade: websocket`).
    static func isRequested(_ request: Request) -> Bool {
        request.headers[.upgrade]?.lowercased().split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "websocket" } == true
    }

    /// The `Sec-WebSocket-Key` of a well-formed upgrade, or 400 naming what is wrong.
    static func key(_ request: Request) throws -> String {
        guard request.method == .get else {
            throw APIError(.methodNotAllowed, "method_not_allowed", "a WebSocket is opened with GET")
        }
        guard request.headers[.connection]?.lowercased().contains("upgrade") == true else {
            throw APIError.badRequest("invalid_upgrade", "a WebSocket upgrade needs `Connection: Upgrade`")
        }
        guard request.headers[.secWebSocketVersion] == "13" else {
            throw APIError(
                .badRequest, "invalid_upgrade", "only WebSocket version 13 is spoken",
                headers: [.secWebSocketVersion: "13"])
        }
        guard let key = request.headers[.secWebSocketKey]?.trimmingCharacters(in: .whitespaces),
              let decoded = Data(base64Encoded: key), decoded.count == 16 else {
            throw APIError.badRequest("invalid_upgrade", "`Sec-WebSocket-Key` must be 16 bytes in base64")
        }
        return key
    }

    /// The `Sec-WebSocket-Accept` answering `key`.
    static func accept(_ key: String) -> String {
        Data(SHA1.digest(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
    }

    /// Answers `101 Switching Protocols` on `channel` and puts WebSocket frame handlers in place of the HTTP
    /// codec; the client's messages go to `sink`, which is finished when the connection ends. The caller
    /// then owns the connection until it closes.
    static func switchProtocols(
        channel: any Channel, key: String, maxMessageBytes: Int, sink output: AsyncStream<SocketItem>.Continuation
    ) async throws -> WebSocketConnection {
        let accept = accept(key)
        return try await channel.eventLoop.submit {
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let encoder = try pipeline.handler(type: HTTPResponseEncoder.self)
            let encoderContext = try pipeline.context(handler: encoder)
            let bridge = WebSocketBridge(output: output, maxMessageBytes: maxMessageBytes, eventLoop: channel.eventLoop)
            try pipeline.addHandlers(
                [ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: maxMessageBytes)), WebSocketFrameEncoder(), bridge],
                position: .after(decoder))
            let head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n\r\n"
            encoderContext.writeAndFlush(NIOAny(channel.allocator.buffer(string: head)), promise: nil)
            pipeline.removeHandler(decoder, promise: nil)
            pipeline.removeHandler(encoder, promise: nil)
            // End the HTTP layer's read of the next request with an error, so that the connection's task
            // finishes as soon as the route returns (instead of waiting for a request that never comes).
            try pipeline.context(handler: bridge).fireErrorCaught(WebSocketBridge.SwitchedError())
            // An idle socket keeps its last receive buffer: start small (client frames are short), grow on demand.
            try channel.syncOptions?.setOption(
                .recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 65_536))
            return WebSocketConnection(bridge: bridge, eventLoop: channel.eventLoop)
        }.get()
    }
}

extension HTTPFields.Element.Name {
    static let secWebSocketKey = Self("Sec-WebSocket-Key")!
    static let secWebSocketVersion = Self("Sec-WebSocket-Version")!
}

/// SHA-1 (FIPS 180-4), only for the WebSocket handshake's `Sec-WebSocket-Accept`.
enum SHA1 {
    /// The 20-byte digest of `message`.
    static func digest(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var data = message
        let bitLength = UInt64(message.count) * 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: data.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + i * 4
                w[i] = UInt32(data[j]) << 24 | UInt32(data[j + 1]) << 16 | UInt32(data[j + 2]) << 8 | UInt32(data[j + 3])
            }
            for i in 16..<80 {
                let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
                w[i] = x << 1 | x >> 31
            }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32)
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
                }
                let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, b << 30 | b >> 2, a, temp)
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e
        }
        return h.flatMap { value in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> UInt32($0)) } }
    }
}
