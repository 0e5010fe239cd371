import Postgres
import Synchronization

/// A value built when the host starts the service (it needs the ``ServiceContext``), for handlers and routes
/// that are declared before it exists: `ServiceDefinition` closures capture the holder, the service's
/// `backgroundServices` closure installs the value before any consumer runs.
public final class LateBound<Value: Sendable>: Sendable {
    private let slot = Mutex<Value?>(nil)
    private let name: String

    /// An empty holder; `name` says what it holds in the error message.
    public init(_ name: String) {
        self.name = name
    }

    /// Installs the value (once, at start).
    public func install(_ value: Value) {
        slot.withLock { $0 = value }
    }

    /// The value, or ``NotInstalled`` if the host has not built it yet (a start-up order bug).
    public func get() throws -> Value {
        guard let value = slot.withLock({ $0 }) else { throw NotInstalled(name: name) }
        return value
    }

    /// A handler ran before the host built the value.
    public struct NotInstalled: Error, CustomStringConvertible {
        /// What was missing.
        public let name: String
        /// The message.
        public var description: String { "the \(name) is not installed yet" }
    }
}

extension LateBound {
    /// A consumer handler that applies `body` to the installed value (``NotInstalled`` before it is).
    public func handler(
        _ body: @escaping @Sendable (Value, IncomingEvent, PostgresConnection) throws -> Void
    ) -> ConsumerDefinition.Apply {
        { event, connection in try body(try self.get(), event, connection) }
    }
}
