import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to a local gateway, for what URLSession cannot send: several requests on one
/// keep-alive connection followed by a WebSocket upgrade, NUL bytes in headers, raw frames.
final class RawConnection: @unchecked Sendable {
    private let socket: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw HarnessError.unexpected("connect failed: \(errno)") }
    }

    deinit { close(socket) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    /// Reads more bytes; false on end of stream, timeout or error.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer += chunk[0..<count]
        return true
    }

    /// One HTTP response: status line, headers (lowercased names) and a Content-Length body.
    func readResponse() -> (status: Int, headers: [String: String], body: String)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var end: Int?
        while end == nil {
            if let range = buffer.firstRange(of: separator) { end = range.upperBound } else if !fill() { return nil }
        }
        guard let end else { return nil }
        let head = String(decoding: buffer[0..<end], as: UTF8.self)
        buffer.removeFirst(end)
        let lines = head.components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() where line.contains(":") {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < length { if !fill() { break } }
        let body = String(decoding: buffer.prefix(length), as: UTF8.self)
        buffer.removeFirst(min(length, buffer.count))
        return (status, headers, body)
    }

    /// Whether the server closed the connection (reads end of stream within the timeout).
    func isClosedByPeer() -> Bool {
        buffer.removeAll()
        return !fill()
    }

    /// Sends a masked client text frame.
    func sendTextFrame(_ text: String) {
        let payload = Array(text.utf8)
        let mask: [UInt8] = [1, 2, 3, 4]
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        send(frame)
    }

    /// Reads one unmasked server frame: opcode and payload.
    func readFrame() -> (opcode: UInt8, payload: [UInt8])? {
        while buffer.count < 2 { if !fill() { return nil } }
        var length = Int(buffer[1] & 0x7F)
        var offset = 2
        if length == 126 {
            while buffer.count < 4 { if !fill() { return nil } }
            length = Int(buffer[2]) << 8 | Int(buffer[3])
            offset = 4
        } else if length == 127 {
            return nil
        }
        while buffer.count < offset + length { if !fill() { return nil } }
        let frame = (buffer[0] & 0x0F, Array(buffer[offset..<offset + length]))
        buffer.removeFirst(offset + length)
        return frame
    }

    /// The upgrade request for `path` with a fixed key.
    static func upgrade(_ path: String, host: String = "127.0.0.1", extra: String = "") -> String {
        "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(extra)\r\n"
    }
}
