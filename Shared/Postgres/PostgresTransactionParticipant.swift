/// Something in a transaction's ``PostgresConnection/transactionNotes`` that keeps work for the end of the
/// transaction — typically rows gathered from many handlers and written by one set-based statement just
/// before COMMIT. It follows the transaction's savepoints, so work gathered after a savepoint that is rolled
/// back is dropped with it, exactly as the statements queued after it are.
public protocol PostgresTransactionParticipant: AnyObject, Sendable {
    /// A savepoint named `name` was marked (``PostgresConnection/lazySavepoint(_:)``).
    func savepointMarked(_ name: String)
    /// The transaction rolled back to the latest savepoint named `name` and released it
    /// (``PostgresConnection/rollback(to:)`` does both).
    func rolledBack(to name: String)
    /// The latest savepoint named `name` was released.
    func released(_ name: String)
    /// Called once the transaction's body has returned, before COMMIT: queue the statements that apply the
    /// gathered work (they travel with COMMIT, in the same round trip).
    func beforeCommit(_ connection: PostgresConnection) throws
}

/// Marks of the savepoints a participant has seen, with the amount of work gathered at each: the usual way
/// to implement ``PostgresTransactionParticipant`` over a growing list.
public struct SavepointMarks: Sendable {
    private var marks: [(name: String, count: Int)] = []

    /// No marks.
    public init() {}

    /// Notes a savepoint taken when `count` items were gathered.
    public mutating func mark(_ name: String, count: Int) {
        marks.append((name, count))
    }

    /// How many items to keep after rolling back to `name` (and releasing it): the count at its mark, or 0
    /// when the savepoint was marked before this participant existed (everything it gathered came after it).
    public mutating func rollBack(to name: String) -> Int {
        guard let index = marks.lastIndex(where: { $0.name == name }) else {
            marks = []
            return 0
        }
        let count = marks[index].count
        marks.removeSubrange(index...)
        return count
    }

    /// Forgets the latest mark named `name` and those after it.
    public mutating func release(_ name: String) {
        if let index = marks.lastIndex(where: { $0.name == name }) {
            marks.removeSubrange(index...)
        }
    }
}
