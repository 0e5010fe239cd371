import Foundation

/// A minimal HTTP/1.1 client over a blocking socket that reads a `text/event-stream` response.
final class SSEReader: @unchecked Sendable {
    private let fd: Int32
    private var buffer = ""
    private(set) var headerText = ""

    init(port: Int, path: String, headers: [String: String]) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HarnessError.unexpected("cannot connect to \(port)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
    }

    /// Reads until `count` events with an `id:` line arrived; returns their ids.
    func readIDs(count: Int, timeout: Duration) throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        var ids: [String] = []
        while ids.count < count, ContinuousClock.now < deadline {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let read = recv(fd, &chunk, chunk.count, 0)
            if read > 0 {
                // Chunked framing uses CRLF; Swift treats CRLF as one character, so normalise to LF.
                buffer += String(decoding: chunk[0..<read], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            }
            if headerText.isEmpty, let end = buffer.range(of: "\n\n") {
                headerText = String(buffer[..<end.lowerBound])
                buffer = String(buffer[end.upperBound...])
            }
            while let end = buffer.range(of: "\n\n") {
                let block = buffer[..<end.lowerBound]
                buffer = String(buffer[end.upperBound...])
                for line in block.split(separator: "\n") where line.hasPrefix("id: ") {
                    ids.append(String(line.dropFirst(4)).trimmingCharacters(in: .whitespacesAndNewlines))
                }
            }
        }
        return ids
    }

    func close() {
        Foundation.close(fd)
    }
}
