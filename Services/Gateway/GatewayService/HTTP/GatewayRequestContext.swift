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

    /// Bodies are read with explicit per-route limits; this is the outer bound (an image plus headroom).
    public var maxUploadSize: Int { 6 * 1024 * 1024 }
}
