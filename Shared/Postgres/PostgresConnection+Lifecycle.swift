import CLibpq
import Foundation

extension PostgresConnection {
    /// Checks an idle pooled connection without a round trip: a connection whose socket is readable
    /// while idle has been told something by the server, usually that it is shutting the session down;
    /// reading that (and the EOF behind it) lets libpq mark the connection `CONNECTION_BAD`.
    func isHealthyWhenIdle() -> Bool {
        guard !isBroken, PQtransactionStatus(handle) == PQTRANS_IDLE else { return false }
        let socket = PQsocket(handle)
        guard socket >= 0 else { return false }
        for _ in 0..<4 {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 0)
            if ready == 0 {
                return true
            }
            if ready < 0 {
                if errno == EINTR { continue }
                return false
            }
            guard PQconsumeInput(handle) == 1, !isBroken else { return false }
            while let notification = PQnotifies(handle) {
                PQfreemem(notification)
            }
        }
        return !isBroken
    }

    /// Makes a connection reusable after a caller's body ran: rolls back a transaction the body left
    /// open. Returns false when the connection must be closed instead (broken, or mid-COPY).
    func prepareForReuse() -> Bool {
        guard !isBroken else { return false }
        discardQueued()
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE:
            return true
        case PQTRANS_INTRANS, PQTRANS_INERROR:
            do {
                try simpleQuery("ROLLBACK")
            } catch {
                return false
            }
            return PQtransactionStatus(handle) == PQTRANS_IDLE
        default:
            return false
        }
    }

    /// True while a transaction block is open on this connection.
    public var isInTransaction: Bool {
        guard !isBroken else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }
}
