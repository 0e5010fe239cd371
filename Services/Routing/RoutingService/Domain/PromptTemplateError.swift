/// Why a prompt template could not be parsed. Offsets count `Character`s from 0.
public enum PromptTemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A `{` without a matching `}` (or a `}` without a preceding `{`). Use `{{` / `}}` for literal braces.
    case unbalancedBrace(offset: Int)
    /// `{}` with no variable name.
    case emptyVariable(offset: Int)
    /// A placeholder whose name is not a letter/digit/underscore identifier, e.g. `{a b}`.
    case invalidVariableName(name: String, offset: Int)
    /// A well-formed placeholder that this prompt does not support.
    case unknownVariable(name: String, allowed: [String])

    public var description: String {
        switch self {
        case let .unbalancedBrace(offset):
            return "unbalanced brace at position \(offset); write {{ or }} for a literal brace"
        case let .emptyVariable(offset):
            return "empty placeholder {} at position \(offset); put a variable name inside the braces"
        case let .invalidVariableName(name, offset):
            return "invalid placeholder {\(name)} at position \(offset); names use letters, digits and _"
        case let .unknownVariable(name, allowed):
            let list = allowed.map { "{\($0)}" }.joined(separator: ", ")
            return "unknown variable {\(name)}; allowed: \(list.isEmpty ? "none" : list)"
        }
    }
}
