/// Why a visitor who asked for a human cannot be queued (or left the queue without being served).
///
/// Each reason has its own prompt (`no_service_prompts.<reason>` in the settings), so that a visitor is never
/// told "not service hours" when the service is open around the clock but nobody is signed in.
public enum NoServiceReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// The master switch (`human_service_enabled`) is off.
    case serviceOff = "service_off"
    /// Human service is off for the visitor's channel.
    case channelOff = "channel_off"
    /// Outside the service hours.
    case outOfHours = "out_of_hours"
    /// Within the hours, but no enabled agent is present at a workbench (and queuing without agents is off).
    case nobodyPresent = "nobody_present"
    /// The queue holds `queue.max_length` visitors.
    case queueFull = "queue_full"
    /// The visitor waited `queue.timeout_seconds` without being served.
    case queueTimeout = "queue_timeout"
}

/// The admin-editable prompt per ``NoServiceReason``, each a template without variables.
///
/// `out_of_hours` is the document's `out_of_service_prompt` (kept where it always was); the other reasons are
/// keys of `no_service_prompts`, each optional with a default.
public struct NoServicePrompts: Sendable, Hashable, Codable {
    /// The defaults, by reason (`out_of_hours` is `RoutingSettings.defaultOutOfServicePrompt`).
    public static let defaults: [NoServiceReason: String] = [
        .serviceOff: "您好，人工客服暂未开放。您可以直接留言，我们会尽快回复您。",
        .channelOff: "您好，当前渠道暂不提供人工客服。您可以直接留言，我们会尽快回复您。",
        .nobodyPresent: "您好，当前暂无客服在线。您可以直接留言，我们会尽快回复您。",
        .queueFull: "您好，当前排队人数已满，请稍后再试，或直接留言，我们会尽快回复您。",
        .queueTimeout: "抱歉，让您久等了，当前客服繁忙。您可以直接留言，我们会尽快回复您。",
    ]

    /// Prompts by reason, one for every ``editable`` reason.
    public private(set) var prompts: [NoServiceReason: String]

    /// Creates the prompts; every reason not given takes its default.
    public init(_ prompts: [NoServiceReason: String] = [:]) {
        self.prompts = Self.defaults.merging(prompts.filter { $0.key != .outOfHours }) { $1 }
    }

    /// The prompt text (a template) for `reason`; `out_of_hours` comes from the caller.
    public func prompt(for reason: NoServiceReason, outOfHours: String) -> String {
        if reason == .outOfHours { return outOfHours }
        return prompts[reason] ?? outOfHours
    }

    /// Replaces the prompt of `reason` (not `out_of_hours`, which is `out_of_service_prompt`).
    public mutating func set(_ text: String, for reason: NoServiceReason) {
        guard reason != .outOfHours else { return }
        prompts[reason] = text
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes `{ "<reason>": "<prompt>", … }`; an unknown reason (or `out_of_hours`, which lives in
    /// `out_of_service_prompt`) is refused with `unknown_key`.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Self.editable.map(\.rawValue))
        let container = try decoder.container(keyedBy: Key.self)
        var prompts: [NoServiceReason: String] = [:]
        for reason in Self.editable where container.contains(Key(stringValue: reason.rawValue)) {
            prompts[reason] = try container.decode(String.self, forKey: Key(stringValue: reason.rawValue))
        }
        self.init(prompts)
    }

    /// Encodes every editable reason with its prompt in force.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for reason in Self.editable {
            try container.encode(prompt(for: reason, outOfHours: ""), forKey: Key(stringValue: reason.rawValue))
        }
    }

    /// The reasons whose prompt lives in `no_service_prompts`.
    public static let editable = NoServiceReason.allCases.filter { $0 != .outOfHours }
}

extension RoutingSettings {
    /// Why a visitor on `channel` cannot be queued now, or `nil` when the visitor can be queued.
    ///
    /// Checked in order: the master switch, the channel, the hours, someone present (skipped when
    /// `queue.wait_without_agents` is on: visitors then wait for the first agent or the queue timeout), room in
    /// the queue.
    public func noServiceReason(
        channel name: String, isOpen: Bool, anyonePresent: Bool, queueLength: Int
    ) -> NoServiceReason? {
        if !humanServiceEnabled { return .serviceOff }
        if !channel(name).humanEnabled { return .channelOff }
        if !isOpen { return .outOfHours }
        if !anyonePresent, !queue.waitWithoutAgents { return .nobodyPresent }
        if queueLength >= queue.maxLength { return .queueFull }
        return nil
    }

    /// The prompt shown for `reason`, as sent (`{{`/`}}` unescaped).
    public func noServicePrompt(for reason: NoServiceReason) -> String {
        let text = noServicePrompts.prompt(for: reason, outOfHours: outOfServicePrompt)
        return (try? PromptTemplate(text, allowedVariables: []))?.render([:]) ?? text
    }
}
