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

/// A list gathered during a transaction that follows its savepoints: what was appended after a savepoint
/// that is rolled back is dropped with it.
public struct SavepointList<Element: Sendable>: Sendable {
    /// The elements, in the order gathered.
    public private(set) var elements: [Element] = []
    private var marks = SavepointMarks()

    /// An empty list.
    public init() {}

    /// Appends an element.
    public mutating func append(_ element: Element) {
        elements.append(element)
    }

    /// See ``PostgresTransactionParticipant/savepointMarked(_:)``.
    public mutating func mark(_ name: String) {
        marks.mark(name, count: elements.count)
    }

    /// See ``PostgresTransactionParticipant/rolledBack(to:)``.
    public mutating func rollBack(to name: String) {
        elements.removeSubrange(min(marks.rollBack(to: name), elements.count)...)
    }

    /// See ``PostgresTransactionParticipant/released(_:)``.
    public mutating func release(_ name: String) {
        marks.release(name)
    }
}

/// A participant whose gathered work is one ``SavepointList``: the savepoint callbacks come with it.
public protocol PostgresListParticipant: PostgresTransactionParticipant {
    /// What the element type of the list is.
    associatedtype Gathered: Sendable
    /// The list gathered so far.
    var gathered: SavepointList<Gathered> { get set }
}

extension PostgresListParticipant {
    public func savepointMarked(_ name: String) { gathered.mark(name) }
    public func rolledBack(to name: String) { gathered.rollBack(to: name) }
    public func released(_ name: String) { gathered.release(name) }
}

extension PostgresConnection {
    /// The transaction's participant of type `P` that `matches` accepts, made by `make` and added to
    /// ``transactionNotes`` the first time.
    public func participant<P: PostgresTransactionParticipant>(where matches: (P) -> Bool, make: () -> P) -> P {
        for note in transactionNotes {
            if let participant = note as? P, matches(participant) { return participant }
        }
        let participant = make()
        transactionNotes.append(participant)
        return participant
    }
}
