import Foundation
import KefuModel
import Postgres
import Synchronization

/// The settings in force, with what is expensive to derive from them (the masker, the templates) built
/// once per version.
struct ActiveSettings: Sendable {
    /// The version (0: the defaults, nothing stored yet).
    let version: Int
    /// The document.
    let document: RoutingSettings
    /// Masks the sensitive-word list.
    let masker: SensitiveWordMasker
    private let queueTemplate: PromptTemplate?
    /// The skill groups' own queue prompts.
    private let groupQueueTemplates: [String: PromptTemplate]
    /// The out-of-service prompt as shown (`{{`/`}}` unescaped).
    let outOfServicePrompt: String

    init(version: Int, document: RoutingSettings) {
        self.version = version
        self.document = document
        masker = document.makeSensitiveWordMasker()
        queueTemplate = try? document.queue.promptTemplate()
        groupQueueTemplates = document.groups.compactMapValues { group in
            group.queuePrompt.flatMap { try? PromptTemplate($0, allowedVariables: PromptTemplate.queueVariables) }
        }
        outOfServicePrompt = (try? document.outOfServiceTemplate())?.render([:]) ?? document.outOfServicePrompt
    }

    /// Masks a text (every configured word → `*` per character).
    func mask(_ text: String) -> String { masker.isEmpty ? text : masker.mask(text) }

    /// Masks the text of a message; images pass unchanged.
    func mask(_ content: MessageContent) -> MessageContent {
        if case .text(let text) = content { return .text(mask(text)) }
        return content
    }

    func isTransferKeyword(_ text: String, channel: String) -> Bool {
        document.matchesTransferKeyword(text, channel: channel)
    }

    func isExitKeyword(_ text: String) -> Bool { document.matchesExitKeyword(text) }

    func isEndPhrase(_ text: String) -> Bool { document.matchesEndPhrase(text) }

    /// Misses in a row after which the bot hands over (0: never).
    func unansweredLimit(channel: String) -> Int { document.channel(channel).botUnansweredLimit ?? 0 }

    /// Whether the channel offers human service now (switch, channel, hours); staffing and queue room are
    /// checked against the database.
    func humanOffered(channel: String, at date: Date) -> Bool {
        document.humanServiceEnabled && document.channel(channel).humanEnabled && document.serviceHours.isOpen(at: date)
    }

    /// The queue prompt (the group's own, if it has one) filled in.
    func queuePrompt(position: Int, etaSeconds: Int?, group: String? = nil) -> String {
        let template = group.flatMap { groupQueueTemplates[$0] } ?? queueTemplate ?? (try? RoutingQueueSettings().promptTemplate())
        let text = template?.renderQueue(position: position, etaSeconds: etaSeconds) ?? ""
        return text.allSatisfy(\.isWhitespace) ? "您当前排第\(position)位。" : text
    }

    /// The idle warning as sent (see ``RoutingSessionSettings/idleWarningText()``).
    var idleWarningPrompt: String { document.session.idleWarningText() }

    /// Fixed texts routing sends (not part of the settings document).
    static let botFallbackText = "抱歉，我没有理解您的问题，您可以换个说法，或回复“人工”转人工客服。"
    static let agentGonePrompt = "客服暂时离开，正在为您重新安排客服，请稍候。"
    /// What a blocked visitor is told: neutral, it does not say they are blocked.
    static let refusedPrompt = "消息暂时无法发送，请稍后再试。"
    /// The bot's menu when several skill groups serve the channel, followed by the groups' names.
    static let groupMenuPrompt = "请选择您要咨询的业务，回复名称即可："
    /// Sent when an agent transfers the session to a skill group's queue.
    static let transferToGroupPrompt = "正在为您转接相关业务的客服，请稍候。"
    static let leaveMessageHint = "您可以点击“留言”，留下问题和联系方式，我们会尽快联系您。"
    /// The priority of a visitor's queue entry (lower is served first); `agent_gone` re-queues use 0.
    static let defaultPriority = 10

    /// The queue priority of `session`: 10 minus the visitor's priority (a connector's, else the channel's
    /// default), so visitor priority 9 queues at 1 and 0 at ``defaultPriority``.
    func queuePriority(for session: SessionRecord) -> Int {
        Self.defaultPriority - (session.visitorPriority ?? document.channel(session.channel).priority)
    }
}

/// Reads the settings in force, caching the derived form per version (one cheap query per use).
final class SettingsCache: Sendable {
    let schema: String
    private let cached = Mutex<ActiveSettings?>(nil)

    init(schema: String) {
        self.schema = schema
    }

    /// The settings in force as seen by `connection`'s transaction.
    /// Inside a prepared batch the version is the one the batch read (no round trip).
    func current(on connection: PostgresConnection) throws -> ActiveSettings {
        let version: Int
        if let batch = RoutingBatch.current(on: connection) {
            version = batch.settingsVersion
        } else {
            let rows = try connection.query("SELECT version FROM \(schema).settings ORDER BY version DESC LIMIT 1")
            version = try rows.first.map { try $0.decode(Int.self, at: 0) } ?? 0
        }
        if let hit = cached.withLock({ $0 }), hit.version == version { return hit }
        let active: ActiveSettings
        if version == 0 {
            active = ActiveSettings(version: 0, document: .defaults)
        } else {
            let document = try connection.query("SELECT document::text FROM \(schema).settings WHERE version = $1", [version])
            let text = try document.first.map { try $0.decode(String.self, at: 0) } ?? "{}"
            let decoded = try RoutingSettings.decode(jsonData: Data(text.utf8))
            active = ActiveSettings(version: version, document: decoded)
        }
        cached.withLock { current in
            if (current?.version ?? -1) < active.version { current = active }
        }
        return active
    }
}
