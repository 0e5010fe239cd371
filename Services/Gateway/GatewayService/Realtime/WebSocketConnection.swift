import NIOCore
import NIOWebSocket

/// One server-side WebSocket after the switch from HTTP/1.1: whole messages in (as ``SocketItem/client(_:)``
/// into the socket's item stream, which ends when the connection does), text frames out.
///
/// Built by ``WebSocketUpgrade/switchProtocols(channel:key:maxMessageBytes:sink:)`` on the connection's own
/// channel, so an upgrade works on any request of a keep-alive connection, not only the first. Pings are
/// answered, fragmented messages reassembled (at most `maxMessageBytes`), and a close frame is echoed
/// before the connection closes.
struct WebSocketConnection: Sendable {
    /// A message the client sent.
    enum Message: Sendable, Equatable {
        /// A complete text message.
        case text(String)
        /// A binary message, or text that is not UTF-8 (the gateway speaks JSON text only).
        case unsupported
    }

    private let bridge: NIOLoopBound<WebSocketBridge>
    private let eventLoop: any EventLoop

    init(bridge: WebSocketBridge, eventLoop: any EventLoop) {
        self.bridge = NIOLoopBound(bridge, eventLoop: eventLoop)
        self.eventLoop = eventLoop
    }

    /// Sends one text frame; throws when the connection is closed.
    func send(_ text: [UInt8]) async throws {
        let bridge = bridge
        try await eventLoop.flatSubmit { bridge.value.send(text) }.get()
    }

    /// Sends a close frame and closes the connection.
    func close(_ code: WebSocketErrorCode = .normalClosure) async {
        let bridge = bridge
        _ = try? await eventLoop.submit { bridge.value.close(code) }.get()
    }
}

/// The handler at the end of a switched connection's pipeline: WebSocket frames in, complete messages to
/// the socket's item stream (finished when the connection ends); anything the HTTP layer behind it still tries to write is dropped.
///
/// The socket owns the connection after the switch: the HTTP layer's task ends as soon as the route has
/// switched (its read of a next request fails with ``SwitchedError``), and the close it then asks for (and a half-close of its output) is answered as done without
/// closing anything. The connection closes when the socket's side does (``close(_:)``), the client goes,
/// or the server quiesces at shutdown (close code 1001, so that the client resumes elsewhere).
final class WebSocketBridge: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = Never
    typealias OutboundOut = WebSocketFrame

    /// The HTTP layer wrote after the switch (its writes are refused, never forwarded as frames); also what
    /// ends its wait for a next request.
    struct SwitchedError: Error {}

    private let output: AsyncStream<SocketItem>.Continuation
    private let maxMessageBytes: Int
    private var context: ChannelHandlerContext?
    private var fragments: ByteBuffer?
    private var fragmentsAreText = false
    private var closing = false

    private let eventLoop: any EventLoop

    init(output: AsyncStream<SocketItem>.Continuation, maxMessageBytes: Int, eventLoop: any EventLoop) {
        self.output = output
        self.maxMessageBytes = maxMessageBytes
        self.eventLoop = eventLoop
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        output.finish()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard !closing else { return }
        switch frame.opcode {
        case .text, .binary:
            guard fragments == nil else { return close(.protocolError) }
            if frame.fin {
                deliver(frame.unmaskedData, text: frame.opcode == .text)
            } else {
                fragments = frame.unmaskedData
                fragmentsAreText = frame.opcode == .text
            }
        case .continuation:
            guard var buffer = fragments else { return close(.protocolError) }
            var data = frame.unmaskedData
            guard buffer.readableBytes + data.readableBytes <= maxMessageBytes else { return close(.messageTooLarge) }
            buffer.writeBuffer(&data)
            fragments = buffer
            if frame.fin {
                fragments = nil
                deliver(buffer, text: fragmentsAreText)
            }
        case .ping:
            guard frame.fin else { return close(.protocolError) }
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .pong:
            break
        case .connectionClose:
            var data = frame.unmaskedData
            let code = data.readWebSocketErrorCode() ?? .normalClosure
            close(code)
        default:
            close(.protocolError)
        }
    }

    /// Asks for the next read itself: the HTTP layer's handler behind it no longer passes reads on once its
    /// stream has ended.
    func channelReadComplete(context: ChannelHandlerContext) {
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        output.finish()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The server allows half-closure: a client that shut its side without a close frame is gone.
        if let event = event as? ChannelEvent, case .inputClosed = event {
            output.finish()
            closing = true
            context.close(promise: nil)
            return
        }
        if event is ChannelShouldQuiesceEvent { return close(.goingAway) }
        context.fireUserInboundEventTriggered(event)
    }

    /// A close from the HTTP layer behind the switch (its task finishing): the connection is the socket's now.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        promise?.succeed(())
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? NIOWebSocketError, case .invalidFrameLength = error {
            close(.messageTooLarge)
        } else {
            close(.protocolError)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        promise?.fail(SwitchedError())
    }

    /// Writes a text frame (on the event loop).
    func send(_ text: [UInt8]) -> EventLoopFuture<Void> {
        guard let context, !closing else { return eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel) }
        let buffer = context.channel.allocator.buffer(bytes: text)
        return context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: buffer)))
    }

    /// Sends a close frame with `code` once, then closes the channel (on the event loop).
    func close(_ code: WebSocketErrorCode) {
        output.finish()
        guard let context, !closing else { return }
        closing = true
        var data = context.channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))).whenComplete { _ in
            bound.value.close(promise: nil)
        }
    }

    private func deliver(_ buffer: ByteBuffer, text: Bool) {
        guard buffer.readableBytes <= maxMessageBytes else { return close(.messageTooLarge) }
        let message: WebSocketConnection.Message
        if text, let string = String(validating: buffer.readableBytesView, as: UTF8.self) {
            message = .text(string)
        } else if text {
            return close(.dataInconsistentWithMessage)
        } else {
            message = .unsupported
        }
        if case .dropped = output.yield(.client(message)) { close(.policyViolation) }
    }
}
