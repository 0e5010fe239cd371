/// Errors thrown by the knowledge matching engine.
public enum KnowledgeMatchingError: Error, Equatable, Sendable {
    /// A configuration parameter is outside its allowed range.
    case invalidParameter(name: String, value: Double)
    /// An entry was submitted with an empty identifier.
    case emptyEntryID
    /// An entry was submitted without any non-empty question.
    case entryHasNoQuestion(entryID: String)
}
