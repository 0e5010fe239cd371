import Foundation

// Stand-ins for the routing domain types (RoutingSettings, SensitiveWordMasker, ServiceSchedule,
// PromptTemplate, QueueETA) until their real implementations are merged; removed then.

/// Masks configured words (stand-in: naive case-insensitive search).
struct SensitiveWordMasker: Sendable {
    let words: [String]
    init(words: [String]) { self.words = words.filter { !$0.isEmpty } }
    func mask(_ text: String) -> String {
        var result = text
        for word in words {
            while let range = result.range(of: word, options: [.caseInsensitive]) {
                result.replaceSubrange(range, with: String(repeating: "*", count: result[range].count))
            }
        }
        return result
    }
}

/// The settings document (stand-in with the fields routing reads).
struct RoutingSettings: Codable, Sendable, Equatable {
    struct Channel: Codable, Sendable, Equatable {
        var humanEnabled = true
        var transferKeywords = ["人工", "转人工"]
        var unansweredLimit = 2
        var transferButton = true
        var endButton = true
        enum CodingKeys: String, CodingKey {
            case humanEnabled = "human_enabled", transferKeywords = "transfer_keywords"
            case unansweredLimit = "unanswered_limit", transferButton = "transfer_button", endButton = "end_button"
        }
    }
    var humanServiceEnabled = true
    var channels: [String: Channel] = [:]
    var defaultChannel = Channel()
    var queuePrompt = "您前面还有 {ahead} 人，预计等待 {eta}。"
    var exitKeywords = ["退出排队"]
    var maxQueueLength = 200
    var queueTimeoutSeconds = 1800
    var outOfServicePrompt = "现在没有客服可以接待您，请留言，我们会尽快联系您。"
    var endPhrases = ["结束会话"]
    var idleTimeoutSeconds = 600
    var idleWarningSeconds = 60
    var idleWarningPrompt = "您已经有一段时间没有回复，会话即将结束。"
    var ratingEnabled = false
    var sensitiveWords: [String] = []
    var botFallbackText = "抱歉，我没有理解您的问题。"
    var presenceGraceSeconds = 60
    var defaultPriority = 10
    var agentGonePrompt = "客服暂时离开，正在为您重新安排客服，请稍候。"
    var leaveMessageHint = "您可以点击“留言”，我们会尽快联系您。"

    enum CodingKeys: String, CodingKey {
        case humanServiceEnabled = "human_service_enabled", channels, defaultChannel = "default_channel"
        case queuePrompt = "queue_prompt", exitKeywords = "exit_keywords", maxQueueLength = "max_queue_length"
        case queueTimeoutSeconds = "queue_timeout_seconds", outOfServicePrompt = "out_of_service_prompt"
        case endPhrases = "end_phrases", idleTimeoutSeconds = "idle_timeout_seconds"
        case idleWarningSeconds = "idle_warning_seconds", idleWarningPrompt = "idle_warning_prompt"
        case ratingEnabled = "rating_enabled", sensitiveWords = "sensitive_words", botFallbackText = "bot_fallback_text"
        case presenceGraceSeconds = "presence_grace_seconds", agentGonePrompt = "agent_gone_prompt", defaultPriority = "default_priority"
        case leaveMessageHint = "leave_message_hint"
    }

    static let defaults = RoutingSettings()

    func channel(_ name: String) -> Channel { channels[name] ?? defaultChannel }

    func isOpen(at date: Date) -> Bool { true }

    func renderQueuePrompt(position: Int, ahead: Int, etaSeconds: Int?) -> String {
        queuePrompt.replacingOccurrences(of: "{position}", with: "\(position)")
            .replacingOccurrences(of: "{ahead}", with: "\(ahead)")
            .replacingOccurrences(of: "{eta}", with: etaSeconds.map { "\(max(1, $0 / 60)) 分钟" } ?? "稍后")
    }

    func validate() throws(SettingsProblem) {
        if maxQueueLength < 1 { throw SettingsProblem(code: "invalid_settings", message: "max_queue_length must be at least 1") }
        for key in ["{position}", "{ahead}", "{eta}"] where false { _ = key }
        if queuePrompt.contains("{") {
            var rest = Substring(queuePrompt)
            while let open = rest.firstIndex(of: "{") {
                guard let close = rest[open...].firstIndex(of: "}") else { break }
                let name = rest[rest.index(after: open)..<close]
                if !["position", "ahead", "eta"].contains(String(name)) {
                    throw SettingsProblem(code: "invalid_template", message: "unknown variable {\(name)} in queue_prompt")
                }
                rest = rest[rest.index(after: close)...]
            }
        }
    }
}

/// Why a settings document was refused (stand-in).
struct SettingsProblem: Error, Sendable {
    var code: String
    var message: String
}

/// Estimated wait (stand-in): people ahead served `freeSlots`-at-a-time, each taking the average handle time.
enum QueueETA {
    static func seconds(ahead: Int, averageHandleSeconds: Double?, totalSlots: Int) -> Int? {
        guard let averageHandleSeconds, totalSlots > 0 else { return nil }
        return Int((Double(ahead / totalSlots + 1) * averageHandleSeconds).rounded())
    }
}
