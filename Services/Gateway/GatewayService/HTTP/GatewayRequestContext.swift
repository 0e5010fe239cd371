import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The gateway's request context: the peer address (for per-IP limits) and WebSocket upgrades.
public struct GatewayRequestContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<GatewayRequestContext>
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress
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
