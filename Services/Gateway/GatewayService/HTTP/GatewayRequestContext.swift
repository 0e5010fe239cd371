import Foundation
import Hummingbird
import NIOCore

/// The gateway's request context: the peer address (for per-IP limits) and the connection's channel
/// (which a WebSocket upgrade switches to frames).
public struct GatewayRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The connection; nil only for contexts built outside a server.
    let channel: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        channel = source.channel
    }

    /// The client's address: the peer, or the first `X-Forwarded-For` hop when `trustProxy` (only behind
    /// the operator's own proxy, which must overwrite the header).
    func clientIP(_ request: Request, trustProxy: Bool) -> String {
        if trustProxy, let forwarded = request.headers[.xForwardedFor]?.split(separator: ",").first {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }

    /// Bodies are read with explicit per-route limits; this is the outer bound (an image plus headroom).
    public var maxUploadSize: Int { 6 * 1024 * 1024 }
}
