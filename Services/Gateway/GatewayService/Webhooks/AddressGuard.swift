import Foundation
import NIOPosix

/// Why a webhook URL is refused.
enum WebhookURLError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    case unresolvable(String)
    case forbiddenAddress(host: String, address: String)

    var description: String {
        switch self {
        case .invalid(let reason): "invalid URL: \(reason)"
        case .unresolvable(let host): "cannot resolve host \(host)"
        case .forbiddenAddress(let host, let address):
            "\(host) resolves to \(address), a loopback, link-local, private or reserved address; set KEFU_WEBHOOKS_ALLOW_PRIVATE=1 to allow it"
        }
    }
}

/// The server-side request forgery guard: only `http(s)` URLs whose host resolves to public addresses
/// (unless private ones are allowed), checked when an endpoint is registered and again before each send.
struct AddressGuard: Sendable {
    let allowPrivate: Bool

    /// The URL parsed and checked for its form only (scheme, host, no credentials, at most 2048 bytes).
    static func parse(_ text: String) throws(WebhookURLError) -> URL {
        guard text.utf8.count <= 2048 else { throw .invalid("longer than 2048 bytes") }
        guard let components = URLComponents(string: text), let url = components.url else { throw .invalid("not a URL") }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .invalid("only http and https URLs are allowed")
        }
        guard let host = components.host, !host.isEmpty else { throw .invalid("the URL has no host") }
        guard components.user == nil, components.password == nil else { throw .invalid("credentials in the URL are not allowed") }
        if let port = components.port, !(1...65535).contains(port) { throw .invalid("bad port") }
        return url
    }

    /// Parses, resolves and checks every address of the host.
    func check(_ text: String) async throws(WebhookURLError) -> URL {
        let url = try Self.parse(text)
        var host = url.host ?? ""
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let addresses = await Self.resolve(host)
        guard !addresses.isEmpty else { throw .unresolvable(host) }
        for address in addresses where !allowed(address) {
            throw .forbiddenAddress(host: host, address: address.text)
        }
        return url
    }

    /// Whether an address may be called.
    func allowed(_ address: IPAddress) -> Bool {
        switch address.kind {
        case .public: true
        case .private: allowPrivate
        case .never: false
        }
    }

    /// Every address `host` resolves to (getaddrinfo on NIO's thread pool, off the cooperative threads).
    static func resolve(_ host: String) async -> [IPAddress] {
        if let literal = IPAddress(literal: host) { return [literal] }
        return (try? await NIOThreadPool.singleton.runIfActive { getaddrinfoAddresses(host) }) ?? []
    }

    private static func getaddrinfoAddresses(_ host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let sockaddr = info.pointee.ai_addr {
                if info.pointee.ai_family == AF_INET {
                    let bytes = sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
                    }
                    addresses.append(IPAddress(bytes: bytes))
                } else if info.pointee.ai_family == AF_INET6 {
                    let bytes = sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                    }
                    addresses.append(IPAddress(bytes: bytes))
                }
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }
}

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address and the range it falls in.
struct IPAddress: Sendable, Equatable {
    /// Where an address may be called.
    enum Kind: Equatable {
        /// Anywhere.
        case `public`
        /// Loopback, link-local, private, unique-local, shared (CGNAT): only with `KEFU_WEBHOOKS_ALLOW_PRIVATE`.
        case `private`
        /// Unspecified, multicast, broadcast and reserved: never.
        case never
    }

    let bytes: [UInt8]

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses a dotted IPv4 or a textual IPv6 address.
    init?(literal: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, literal, &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
            return
        }
        return nil
    }

    var text: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    var kind: Kind {
        if bytes.count == 4 { return Self.kind(v4: bytes) }
        let b = bytes
        if b.allSatisfy({ $0 == 0 }) { return .never }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return .private }
        // IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d and NAT64 64:ff9b::a.b.c.d carry an IPv4 address.
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return Self.kind(v4: Array(b[12..<16])) }
        if b[0..<12].allSatisfy({ $0 == 0 }) { return Self.kind(v4: Array(b[12..<16])) }
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b { return Self.kind(v4: Array(b[12..<16])) }
        if b[0] == 0xfe && (b[1] & 0xc0) == 0x80 { return .private }
        if (b[0] & 0xfe) == 0xfc { return .private }
        if b[0] == 0xfe && (b[1] & 0xc0) == 0xc0 { return .private }
        if b[0] == 0xff { return .never }
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return .never }
        return .public
    }

    private static func kind(v4 b: [UInt8]) -> Kind {
        switch (b[0], b[1]) {
        case (0, _): return .never
        case (10, _), (127, _): return .private
        case (100, 64...127): return .private
        case (169, 254): return .private
        case (172, 16...31): return .private
        case (192, 168): return .private
        case (192, 0) where b[2] == 0 || b[2] == 2: return .never
        case (198, 18...19): return .private
        case (198, 51) where b[2] == 100: return .never
        case (203, 0) where b[2] == 113: return .never
        case (224...255, _): return .never
        default: return .public
        }
    }
}
