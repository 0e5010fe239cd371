import Foundation

/// One quick-reply library as a caller sees it: the public one (everyone reads, admins write) or the
/// caller's personal one (only its owner reads and writes; invisible to everyone else, admins included).
struct QuickReplyLibrary: Sendable, Equatable {
    /// `public` or `personal`.
    enum Kind: String, Sendable {
        case `public`
        case personal
    }

    var kind: Kind
    /// The owner of a personal library.
    var owner: UUID?

    /// Categories per library.
    static let maxCategories = 100
    /// Quick replies per library.
    static let maxReplies = 5_000

    /// The library named by `library` for `caller`.
    static func named(_ name: String?, for caller: Caller) throws -> QuickReplyLibrary {
        guard let name else { throw Refusal(.invalidParams, "`library` is required: public or personal") }
        guard let kind = Kind(rawValue: name) else {
            throw Refusal(.invalidParams, "`library` must be public or personal, got \(name)")
        }
        return QuickReplyLibrary(kind: kind, owner: kind == .personal ? caller.agentID : nil)
    }

    /// The library a stored row belongs to, if `caller` may see it.
    static func of(kind: String, owner: UUID?, visibleTo caller: Caller) -> QuickReplyLibrary? {
        guard let kind = Kind(rawValue: kind) else { return nil }
        if kind == .personal, owner != caller.agentID { return nil }
        return QuickReplyLibrary(kind: kind, owner: owner)
    }

    /// Refuses unless `caller` may change this library: admins the public one, the owner a personal one.
    func requireWritable(by caller: Caller) throws {
        switch kind {
        case .public:
            guard caller.isAdmin else { throw Refusal(.forbidden, "only an admin may change the public quick replies") }
        case .personal:
            guard owner == caller.agentID else { throw Refusal(.forbidden, "only its owner may change a personal library") }
        }
    }

    /// SQL condition on `library`/`owner_id` columns (with the given alias) using parameters `$a`, `$b`.
    func condition(alias: String, libraryParameter a: Int, ownerParameter b: Int) -> String {
        "\(alias).library = $\(a) AND \(alias).owner_id IS NOT DISTINCT FROM $\(b)::uuid"
    }
}
