// The one table of user-facing text: Simplified Chinese (default) and English. Every label of the
// widget, the workbench and the admin console comes from here; `{name}` marks a variable.

export const LANGS = ['zh-CN', 'en'];
const KEY = 'kefu.lang';

export const messages = {
  'zh-CN': {
    'app.name': 'Kefu 客服',
    'lang.switch': 'English',
    'lang.switchTitle': '切换到英文',
    'common.actions': '操作', 'common.all': '全部', 'common.cancel': '取消', 'common.close': '关闭', 'common.confirm': '请确认',
    'common.create': '创建', 'common.delete': '删除', 'common.down': '下移', 'common.edit': '编辑', 'common.empty': '暂无内容',
    'common.loading': '加载中…', 'common.more': '加载更多', 'common.no': '否', 'common.ok': '确定', 'common.refresh': '刷新',
    'common.remove': '移除', 'common.rename': '重命名', 'common.retry': '重试', 'common.save': '保存', 'common.search': '搜索',
    'common.up': '上移', 'common.yes': '是', 'common.listSep': '、',
    'time.hms': '{h}小时{m}分{s}秒', 'time.ms': '{m}分{s}秒', 'time.s': '{s}秒',
    'error.network': '网络连接失败，请稍后重试', 'error.unauthorized': '登录已失效，请重新登录',
    'error.upstream_timeout': '服务响应超时，请稍后重试', 'error.rate_limited': '操作太频繁，请稍后再试',
    'error.visitor_blocked': '消息暂时无法发送，请稍后再试。', 'error.cannot_block_self': '不能拉黑自己。', 'error.cannot_block_agent': '该访客是客服账号，不能拉黑。', 'error.already_lifted': '该拉黑已解除或已到期。', 'error.forbidden': '没有权限执行此操作', 'error.session_not_active': '会话已结束或不存在', 'error.agent_full': '对方接待已满',
    'error.agent_unavailable': '对方当前不可接入', 'error.not_your_session': '该会话不由您接待', 'error.rating_repeated': '已经评价过了',
    'error.rating_not_invited': '该会话不支持评价', 'error.version_conflict': '设置已被他人修改，请刷新后重试', 'error.queue_full': '排队人数已满',
    'error.no_service': '当前没有可用的人工客服', 'error.payload_too_large': '内容太大', 'error.unsupported_image': '只支持 PNG、JPEG、GIF、WebP 图片',
    'error.duplicate_keyword': '关键词已存在', 'error.self_lockout': '不能停用自己或取消自己的管理员角色', 'error.transfer_to_self': '不能转接给自己',
    'error.http_503': '服务暂不可用，请稍后重试',

    'login.username': '用户名', 'login.password': '密码', 'login.submit': '登录', 'login.logout': '退出登录',
    'login.wrong': '用户名或密码错误', 'login.needAdmin': '需要管理员账号才能进入管理后台',
    'nav.admin': '管理后台', 'nav.workbench': '客服工作台', 'nav.leave': '留言回复',
    'role.agent': '客服', 'role.admin': '管理员',
    'status.online': '在线', 'status.stop_accepting': '停止接入', 'status.offline': '离线',
    'type.bot': '机器人会话', 'type.human': '人工会话',
    'channel.web-pc': 'PC 网页', 'channel.web-h5': 'H5 移动端',
    'day.mon': '周一', 'day.tue': '周二', 'day.wed': '周三', 'day.thu': '周四', 'day.fri': '周五', 'day.sat': '周六', 'day.sun': '周日',
    'reason.visitor_button': '访客点击结束', 'reason.visitor_phrase': '访客发送结束语', 'reason.agent': '客服结束',
    'reason.idle_timeout': '访客长时间未回复', 'reason.queue_exit': '访客退出排队', 'reason.queue_timeout': '排队超时',
    'reason.no_service': '无人工服务（已引导留言）',

    'widget.open': '在线客服', 'widget.unread': '有新消息',
    'demo.title': 'Kefu 访客组件示例', 'demo.text': '这个页面只用一行 script 标签嵌入了访客组件，点击右下角的“在线客服”开始咨询。',
    'home.title': 'Kefu 在线客服系统', 'home.chat': '访客咨询（H5）', 'home.demo': '网页嵌入示例（PC）', 'home.workbench': '客服工作台',
    'home.admin': '管理后台',

    'chat.title': '在线客服', 'chat.messages': '会话消息', 'chat.agentTyping': '{name}正在输入…', 'chat.readMark': '已读', 'chat.unreadMark': '未读', 'chat.placeholder': '请输入您的问题，Enter 发送，Shift+Enter 换行',
    'chat.send': '发送', 'chat.human': '转人工', 'chat.end': '结束会话', 'chat.endConfirm': '确定要结束本次会话吗？结束后客服将无法继续回复您。', 'chat.leave': '留言', 'chat.exitQueue': '退出排队',
    'chat.me': '我', 'chat.bot': '智能客服', 'chat.agent': '客服', 'chat.didYouMean': '您是不是想问：',
    'chat.feedback': '这个回答对您有帮助吗？', 'chat.useful': '有用', 'chat.notUseful': '没用', 'chat.feedbackThanks': '感谢反馈',
    'chat.stateBot': '智能客服为您服务', 'chat.stateQueued': '正在排队等待人工客服', 'chat.stateAssigned': '{name} 为您服务', 'chat.stateEnded': '会话已结束',
    'chat.welcome': '您好，我是智能客服，请问有什么可以帮您？', 'chat.newSession': '新的会话',
    'chat.queueTitle': '排队信息', 'chat.queued': '正在为您转接人工客服，请稍候…',
    'chat.queuePosition': '当前第 {position} 位', 'chat.queueAhead': '前面 {ahead} 人', 'chat.queueEta': '预计等待 {eta}',
    'chat.assigned': '客服 {name} 已接入，为您服务', 'chat.transferred': '已为您转接至客服 {name}',
    'chat.ended.visitor_button': '您已结束本次会话', 'chat.ended.visitor_phrase': '您已结束本次会话', 'chat.ended.agent': '客服已结束本次会话',
    'chat.ended.idle_timeout': '由于您长时间未回复，本次会话已结束', 'chat.ended.queue_exit': '您已退出排队',
    'chat.ended.queue_timeout': '排队超时，您可以点击“留言”留下问题', 'chat.ended.no_service': '当前暂时无法提供人工服务，您可以点击“留言”',
    'chat.ended.other': '会话已结束',
    'chat.sending': '发送中…', 'chat.sent': '已发送', 'chat.failed': '发送失败', 'chat.rejected': '无法发送', 'chat.retry': '重新发送',
    'chat.connecting': '正在连接客服系统…', 'chat.offline': '网络已断开，正在重新连接…', 'chat.serviceDown': '客服系统暂时不可用，消息将稍后送达',

    'rating.title': '请对本次服务进行评价', 'rating.stars': '{n} 星', 'rating.comment': '说说您的感受（选填）',
    'rating.submit': '提交评价', 'rating.thanks': '感谢您的评价（{n} 星）',

    'leave.title': '留言', 'leave.intro': '客服暂时无法接待，请留下您的问题和联系方式，我们会尽快联系您。',
    'leave.description': '问题描述', 'leave.name': '称呼（选填）', 'leave.phone': '手机号', 'leave.email': '邮箱',
    'leave.contactHint': '手机号和邮箱至少填写一项', 'leave.addImages': '添加图片（最多 3 张）', 'leave.maxImages': '最多上传 3 张图片',
    'leave.submit': '提交留言', 'leave.done': '留言已提交，我们会尽快联系您', 'leave.needDescription': '请填写问题描述',
    'leave.needContact': '请填写手机号或邮箱', 'leave.badPhone': '手机号格式不正确', 'leave.badEmail': '邮箱格式不正确',

    'image.send': '发送图片', 'image.button': '图片', 'image.alt': '[图片]', 'image.open': '查看大图', 'image.failed': '图片加载失败', 'image.external': '查看图片链接',
    'image.badType': '只支持 PNG、JPEG、GIF、WebP 图片', 'image.tooLarge': '图片不能超过 5 MB', 'image.uploadFailed': '图片上传失败',
    'image.uploading': '图片上传中…',

    'wb.title': '客服工作台', 'wb.myStatus': '我的状态', 'wb.waiting': '待接入排队', 'wb.capacity': '自动接入人数', 'wb.load': '当前接待',
    'wb.sessions': '会话列表', 'wb.current': '当前会话', 'wb.noSessions': '暂无接待中的访客', 'wb.messages': '会话消息区',
    'wb.pick': '从左侧选择一个会话', 'wb.visitorTyping': '访客正在输入…', 'wb.readMark': '已读', 'wb.unreadMark': '未读', 'wb.visitorTypingPreview': '访客正在输入：{preview}', 'wb.input': '消息输入框', 'wb.inputHint': '输入回复，Enter 发送，Shift+Enter 换行，可粘贴截图',
    'wb.send': '发送', 'wb.sendImage': '发送图片', 'wb.tools': '会话工具', 'wb.assist': '智能辅助', 'wb.transfer': '转接',
    'wb.capture': '问题收录', 'wb.end': '结束会话', 'wb.ended': '已结束', 'wb.transferredAway': '已转接给 {name}', 'wb.dismiss': '从列表移除', 'wb.unread': '{n} 条未读',
    'wb.waitingFor': '已等待 {time}', 'wb.visitor': '访客', 'wb.visitorShort': '访客 {id}', 'wb.bot': '机器人', 'wb.agent': '客服', 'wb.me': '我',
    'wb.connected': '已连接', 'wb.connecting': '连接中…', 'wb.disconnected': '连接已断开，正在重连',
    'wb.newSession': '新会话接入', 'wb.newMessage': '访客新消息', 'wb.newLeaveMessage': '新留言',
    'wb.ev.created': '访客发起会话', 'wb.ev.queued': '访客进入排队（{reason}）', 'wb.ev.assigned': '{name} 接入会话',
    'wb.ev.transferred': '{from} 转接给 {to}', 'wb.ev.ended': '会话结束：{reason}', 'wb.ev.rated': '访客评价：{n} 星',
    'wb.ev.feedback': '访客对机器人回答的反馈：{value}', 'wb.feedback.useful': '有用', 'wb.feedback.notUseful': '没用',
    'wb.queueReason.visitor_request': '点击转人工', 'wb.queueReason.keyword': '发送转人工关键词', 'wb.queueReason.bot_failures': '机器人多次未能回答',
    'wb.queueReason.agent_gone': '原客服离线，重新排队',
    'wb.showAssist': '查看推荐回答', 'wb.assistFor': '智能辅助 · 访客问题', 'wb.assistFetch': '获取推荐回答', 'wb.assistNone': '知识库中没有匹配的回答',
    'wb.assistSend': '点击直接发送给访客', 'wb.assistEdit': '编辑后发送',
    'wb.transferTo': '选择接收的客服', 'wb.transferNote': '转接备注（仅客服可见，选填）', 'wb.transferHint': '只能转接给在线且未满的客服，对方可以看到完整聊天记录。',
    'wb.transferDo': '确认转接', 'wb.transferPick': '请选择一位客服', 'wb.transferred': '已转接给 {name}', 'wb.noAgents': '当前没有其他在线客服',
    'wb.agentLoad': '接待 {load} / {capacity}', 'wb.full': '已满',
    'wb.question': '问题', 'wb.answer': '回答', 'wb.pickQuestion': '选为问题', 'wb.pickAnswer': '选为回答',
    'wb.captureHint': '勾选一条访客问题和一条回答', 'wb.captureNext': '下一步', 'wb.captureRule': '最多收录一问一答，可先编辑再保存到知识库。',
    'wb.captureEmpty': '问题和回答都不能为空', 'wb.captured': '已收录到知识库',
    'wb.endConfirm': '确定要结束这个会话吗？', 'wb.extension': '扩展功能区', 'wb.visitorInfo': '访客信息', 'wb.channel': '渠道',
    'wb.visitorId': '访客 ID', 'wb.attr.name': '称呼', 'wb.attr.device': '设备', 'wb.attr.user_agent': '浏览器', 'wb.attr.page_url': '来源页面',
    'wb.attr.locale': '语言', 'wb.firstSeen': '首次访问', 'wb.previous': '历史会话', 'wb.noPrevious': '没有更早的会话',
    'wb.messagesCount': '{n} 条消息', 'wb.transcript': '聊天记录', 'wb.transcriptOf': '聊天记录 · {time}',

    'qr.title': '快捷回复', 'qr.public': '公共库', 'qr.personal': '个人库', 'qr.category': '分类', 'qr.allCategories': '全部分类',
    'qr.search': '搜索关键词', 'qr.empty': '没有快捷回复', 'qr.insert': '插入到输入框', 'qr.managePersonal': '管理个人库',
    'qr.add': '添加快捷回复', 'qr.edit': '编辑快捷回复', 'qr.keyword': '关键词', 'qr.content': '回复内容', 'qr.noCategory': '未分类',
    'qr.categories': '分类', 'qr.newCategory': '新分类名称', 'qr.addCategory': '添加分类', 'qr.categoryName': '分类名称',
    'qr.deleteCategory': '删除分类“{name}”？', 'qr.deleteItem': '删除快捷回复“{keyword}”？', 'qr.needBoth': '关键词和回复内容都不能为空',
    'qr.publicHint': '公共库由管理员统一编辑，所有客服都可以使用。',

    'lm.unclaimed': '未接单', 'lm.claimed': '已接单', 'lm.closed': '已结单', 'lm.claim': '接单', 'lm.close': '结单', 'lm.empty': '没有留言',
    'lm.note': '备注', 'lm.noteOptional': '备注（选填）', 'lm.done': '已处理',

    'admin.title': '管理后台', 'admin.menu': '系统管理', 'admin.human': '人工客服设置', 'admin.rating': '满意度评价', 'admin.session': '会话设置',
    'admin.blocks': '黑名单', 'blk.hint': '客服在工作台拉黑的访客：期间访客的消息不会进入会话和排队，访客只看到“消息暂时无法发送”。', 'blk.activeOnly': '只看生效中', 'blk.channel': '渠道', 'blk.visitor': '访客', 'blk.reason': '原因', 'blk.by': '拉黑客服', 'blk.at': '拉黑时间', 'blk.until': '到期时间', 'blk.state': '状态', 'blk.forever': '永久', 'blk.active': '生效中', 'blk.lifted': '已解除（{time}）', 'blk.expired': '已到期', 'blk.lift': '解除', 'blk.liftConfirm': '确定解除对访客 {visitor} 的拉黑吗？', 'blk.liftDone': '已解除拉黑', 'blk.empty': '没有拉黑记录',
    'wb.groupOption': '技能组：{name}', 'wb.groupLoad': '排队 {waiting} 人 · 在线 {online} 人', 'wb.transferredToGroup': '已转入技能组“{name}”的排队', 'admin.groups': '技能组', 'grp.hint': '按业务划分客服：每个技能组有自己的排队、服务时间、排队提示、接待上限和溢出规则。访客按入口（data-group / ?group=）、渠道、转人工关键词或机器人菜单进入技能组；不属于任何技能组的访客进入默认队列，由所有客服接待。', 'grp.defaultQueue': '默认队列等待：{waiting} 人', 'grp.id': '标识', 'grp.name': '名称', 'grp.channels': '服务渠道', 'grp.keywords': '转人工关键词', 'grp.keywordsHint': '售后, 退货', 'grp.waiting': '排队人数', 'grp.online': '在线客服', 'grp.overflow': '溢出', 'grp.overflowText': '等待 {seconds} 秒后转到 {to}', 'grp.leaveMessage': '留言', 'grp.noOverflow': '不溢出', 'grp.empty': '还没有技能组：所有访客进入同一个队列。', 'grp.new': '新建技能组', 'grp.editTitle': '编辑技能组 {id}', 'grp.hours': '服务时间', 'grp.hoursShared': '与人工客服设置相同', 'grp.hoursAlways': '全天 24 小时', 'grp.hoursOwn': '本组自己的服务时间', 'grp.prompt': '排队提示语', 'grp.promptHint': '留空则用人工客服设置中的排队提示语', 'grp.maxLength': '最大排队人数', 'grp.capacity': '每位客服最多接待本组会话数', 'grp.overflowAfter': '溢出等待（秒）', 'grp.overflowTo': '溢出到', 'grp.badId': '标识只能包含小写字母、数字、- 和 _，并以字母或数字开头', 'grp.deleteConfirm': '确定删除技能组“{name}”吗？排队中的访客将进入默认队列。', 'grp.saved': '技能组已保存', 'grp.members': '组员', 'grp.membersHint': '勾选客服所属的技能组（可多选）；客服同时接待所属各组中等待最久的访客。', 'grp.agent': '客服', 'grp.memberOf': '{agent} 属于 {group}', 'grp.membersSaved': '已保存 {agent} 的技能组',
    'wb.block': '拉黑', 'wb.blockHint': '拉黑后本次会话立即结束；期间该访客的消息不会进入会话，访客只看到“消息暂时无法发送”。管理员可在黑名单中解除。', 'wb.blockReason': '原因', 'wb.blockReasonHint': '例如：辱骂客服、发送广告（访客看不到）', 'wb.blockDuration': '时长', 'wb.block1h': '1 小时', 'wb.block1d': '1 天', 'wb.block7d': '7 天', 'wb.block30d': '30 天', 'wb.blockForever': '永久', 'wb.blockDo': '确定拉黑', 'wb.blockReasonEmpty': '请填写拉黑原因', 'wb.blocked': '已拉黑，会话已结束',
    'admin.accounts': '账号管理', 'admin.quick-replies': '快捷回复语料', 'admin.knowledge': '知识库', 'admin.leave': '留言回复',
    'admin.unknown': '未知问题', 'admin.lexicon': '词库与同义词',
    'admin.channels': 'API 渠道',
    'ch.hint': '外部系统（自有 App、小程序后台等）用 API 密钥通过 HTTP 接入访客消息，见 docs/integrations.md。渠道的人工客服规则在“人工客服设置”中按渠道名设置。',
    'ch.none': '还没有 API 渠道', 'ch.new': '新建 API 渠道', 'ch.name': '渠道名', 'ch.nameHint': '小写字母、数字、- 和 _，如 shopapp；创建后不可修改',
    'ch.displayName': '显示名称', 'ch.activeKeys': '有效密钥', 'ch.created': '创建时间', 'ch.keys': '密钥', 'ch.keysOf': '{name} 的 API 密钥',
    'ch.prefix': '密钥前缀', 'ch.label': '备注', 'ch.status': '状态', 'ch.revokedAt': '失效时间', 'ch.newKey': '新建密钥',
    'ch.status.active': '有效', 'ch.status.expiring': '即将失效', 'ch.status.revoked': '已吊销',
    'ch.rotate': '轮换', 'ch.revoke': '吊销', 'ch.revoked': '密钥已吊销', 'ch.revokeConfirm': '吊销密钥 {prefix}…？使用它的请求将立即被拒绝。',
    'ch.grace': '旧密钥保留', 'ch.grace.0': '立即失效', 'ch.grace.3600': '1 小时', 'ch.grace.86400': '1 天', 'ch.grace.604800': '7 天',
    'ch.rotateHint': '将生成新密钥，旧密钥在保留期结束后失效。',
    'ch.secretTitle': '新的 API 密钥', 'ch.secretHint': '密钥只显示这一次，请立即复制并妥善保存；系统只保存其哈希值。',
    'ch.copy': '复制', 'ch.copied': '已复制',
    'admin.webhooks': 'Webhooks',
    'wh.hint': '把会话事件实时推送到你的系统（CRM、工单等）：按 Standard Webhooks 签名，失败时按指数退避重试 24 小时，同一会话按 seq 顺序投递。',
    'wh.url': '接收地址', 'wh.urlHint': '只允许 http(s)，不能指向内网、本机或保留地址', 'wh.eventTypes': '事件类型', 'wh.channels': '渠道',
    'wh.channelsHint': '留空表示全部渠道；多个用逗号分隔', 'wh.timeout': '超时（毫秒）', 'wh.description': '备注', 'wh.state': '状态',
    'wh.enabled': '已启用', 'wh.disabled': '已停用', 'wh.failures': '连续失败 {n} 次', 'wh.deliveries': '投递记录', 'wh.disable': '停用',
    'wh.enable': '启用', 'wh.rotate': '更换密钥', 'wh.new': '新建 Webhook', 'wh.empty': '还没有 Webhook',
    'wh.secret': '签名密钥', 'wh.secretOnce': '请立即复制保存：密钥只显示这一次。接收方用它校验 webhook-signature。',
    'wh.disableConfirm': '停用 {url}？停用后不再产生新的投递。', 'wh.rotateConfirm': '生成新密钥？旧密钥在 24 小时内仍然有效。',
    'wh.autoDisabled': '以下 Webhook 因持续投递失败已被自动停用：{urls}。修复接收方后请重新启用。',
    'wh.status': '投递状态', 'wh.event': '事件', 'wh.attempts': '尝试次数', 'wh.code': '响应码', 'wh.latency': '耗时', 'wh.lastError': '最近错误',
    'wh.time': '时间', 'wh.next': '下次重试 {time}', 'wh.noDeliveries': '暂无投递记录', 'wh.retried': '已重新排队',
    'wh.replay': '重放', 'wh.replayHint': '把这段时间内未成功的投递重新排队（webhook-id 不变）。', 'wh.from': '从', 'wh.to': '到',
    'wh.includeDelivered': '包括已成功的', 'wh.replayRange': '请选择开始和结束时间', 'wh.replayed': '已重新排队 {n} 条',
    'wh.s.pending': '待发送', 'wh.s.failed': '重试中', 'wh.s.delivered': '已送达', 'wh.s.dead': '已放弃', 'wh.s.blocked': '被阻塞',
    'uq.hint': '机器人没答上、只给了“猜你想问”或被访客点了“没用”的问题，按相同问法归组（忽略问候语、标点和语气词）。处理后从列表移除；再次出现会重新列出。',
    'uq.question': '访客问题', 'uq.count': '次数', 'uq.kinds': '类型', 'uq.lastSeen': '最近出现', 'uq.firstSeen': '首次出现：{time}',
    'uq.total': '共 {n} 组待处理', 'uq.empty': '暂无未知问题', 'uq.unanswered': '未回答 {n}', 'uq.suggested': '猜你想问 {n}',
    'uq.notUseful': '没用 {n}', 'uq.botEntry': '机器人匹配：{question}', 'uq.addSimilar': '添加为相似问题', 'uq.create': '新建问答',
    'uq.ignore': '忽略', 'uq.ignoreConfirm': '忽略“{question}”？它将从列表移除。', 'uq.similarQuestion': '要添加的相似问题',
    'uq.pickEntry': '选择知识条目（按匹配度排列，可搜索）', 'uq.noEntries': '没有找到条目', 'uq.needEntry': '请先选择一个知识条目',
    'uq.added': '已添加到“{question}”',
    'admin.records': '会话记录', 'admin.reports': '统计报表', 'admin.saved': '已保存', 'admin.savedAt': '当前版本 {version}，更新于 {time}',
    'admin.conflict': '设置已被其他管理员修改，请刷新页面后重新编辑',

    'set.human': '人工客服', 'set.humanEnabled': '开启人工客服', 'set.humanHint': '开启后，在机器人无法回复或访客主动寻求人工时接入人工服务。',
    'set.channels': '会话渠道设置', 'set.channelsHint': '按渠道设置是否接入人工以及转人工条件。机器人连续未答次数留空表示不按此条件转人工。',
    'set.channel': '渠道', 'set.chHuman': '接入人工', 'set.chButton': '转人工按钮', 'set.chKeywords': '转人工关键词', 'set.chLimit': '机器人连续未答次数', 'set.chPriority': '排队优先级', 'set.chPriorityHint': '0 为普通，9 为最优先；接入方在消息里给出的优先级优先',
    'set.off': '关闭', 'set.newChannel': '新渠道名称', 'set.addChannel': '添加渠道', 'set.badChannel': '渠道名只能包含小写字母、数字、- 和 _',
    'set.hours': '人工客服服务时间段', 'set.hoursHint': '每天可设置多个时段，精确到分钟（HH:MM），结束时间早于开始时间表示跨过午夜；没有时段的日子不提供人工服务。',
    'set.timezone': '时区', 'set.addWindow': '添加时段', 'set.start': '开始', 'set.end': '结束', 'set.copyMonday': '将周一时段复制到周二至周五',
    'set.overrides': '节假日与特殊日期', 'set.overridesHint': '特殊日期优先于每周时段：可设为全天休息，或使用单独的时段。',
    'set.date': '日期', 'set.overrideType': '类型', 'set.windows': '时段', 'set.closed': '休息', 'set.special': '特殊时段',
    'set.addOverride': '添加日期', 'set.badTime': '时间“{value}”格式不正确，请使用 HH:MM', 'set.badDate': '请为每个特殊日期选择日期',
    'set.badTimezone': '请填写时区', 'set.badNumber': '“{field}”必须是整数',
    'set.queue': '排队设置', 'set.queuePrompt': '排队提示语', 'set.queuePromptHint': '可用变量：{position} 排队位置，{ahead} 前面人数，{eta} 预计等待时间；排队变化时会重新发送。',
    'set.exitKeywords': '主动退出关键词', 'set.listHint': '多个用逗号分隔', 'set.linesHint': '每行一个',
    'set.queueMax': '最大排队人数', 'set.queueTimeout': '排队超时', 'set.seconds': '单位：秒',
    'set.outOfService': '无法转人工时的提示语', 'set.outOfServicePrompt': '非服务时间',
    'set.noService.service_off': '人工客服总开关关闭', 'set.noService.channel_off': '该渠道未开启人工客服',
    'set.noService.nobody_present': '服务时间内暂无客服在线', 'set.noService.queue_full': '排队人数已满',
    'set.noService.queue_timeout': '排队超时',
    'set.matchMode': '匹配方式', 'set.match.whole_message': '整句匹配（去掉首尾标点后与关键词相同）', 'set.match.contains': '包含匹配（消息中出现关键词即可）',
    'set.matchHint': '默认整句匹配：“我不需要人工”不会触发“人工”。',
    'set.waitWithoutAgents': '服务时间内无客服在线时也允许排队',
    'set.waitWithoutAgentsHint': '访客排队等待第一位客服上线；超过排队超时后提示留言。',
    'set.queueTimeoutHint': '单位：秒，30–86400',
    'set.ratingEnabled': '开启满意度评价', 'set.ratingHint': '开启后，人工会话结束时邀请访客进行 1–5 星评价，每个人工会话只评价一次。',
    'set.visitorEnd': '用户主动结束会话', 'set.endPhrases': '用户主动结束语', 'set.endButtonFor': '在 {channel} 显示结束按钮',
    'set.idle': '空闲超时', 'set.idleTimeout': '访客无回复自动结束（秒）', 'set.idleHint': '0 表示不自动结束',
    'set.idleWarning': '提前提醒（秒）', 'set.idlePrompt': '提醒语', 'set.idlePromptHint': '可用变量：{remaining} 剩余时间（如“30秒”），{minutes} 剩余整分钟数',
    'set.presenceGrace': '客服掉线宽限（秒）',
    'set.sensitive': '敏感词', 'set.sensitiveWords': '敏感词列表', 'set.sensitiveHint': '每行一个；消息中的敏感词会以星号 * 替代。',

    'acc.hint': '当前接待人数大于或等于自动接入人数时，系统不再自动分配会话给该客服。', 'acc.username': '用户名', 'acc.displayName': '显示名称',
    'acc.role': '角色', 'acc.capacity': '自动接入人数', 'acc.disabled': '停用', 'acc.created': '创建时间', 'acc.new': '新建账号',
    'acc.resetPassword': '重置密码', 'acc.newPassword': '新密码', 'acc.password': '初始密码', 'acc.passwordHint': '密码 8–128 个字符',
    'acc.passwordReset': '密码已重置，该账号需要重新登录', 'acc.createdToast': '账号已创建', 'acc.badCapacity': '自动接入人数应为 0–50 的整数',
    'acc.usernameHint': '字母、数字或 . _ @ -', 'acc.capacityHint': '0–50',

    'kb.search': '搜索问题或答案', 'kb.new': '新增问答', 'kb.edit': '编辑问答', 'kb.question': '标准问题', 'kb.similar': '相似问题',
    'kb.answer': '答案', 'kb.category': '分类', 'kb.enabled': '启用', 'kb.updated': '更新时间', 'kb.empty': '知识库为空',
    'kb.similarCount': '{n} 个相似问题', 'kb.needBoth': '问题和答案都不能为空', 'kb.deleteConfirm': '删除问答“{question}”？',
    'kb.test': '测试问题', 'kb.testPlaceholder': '输入访客可能会问的问题', 'kb.testRun': '测试', 'kb.answered': '机器人可以回答这个问题',
    'kb.notAnswered': '机器人无法回答这个问题', 'kb.import': '导入', 'kb.export': '导出 CSV', 'kb.imported': '已导入 {n} 条，{errors} 条有错误',
    'kb.lexicon': '词库与同义词',
    'lex.tab.words': '词库', 'lex.tab.synonyms': '同义词', 'lex.back': '返回知识库',
    'lex.intro': '机器人匹配问题前先分词并替换同义词。在这里添加行业词和客服常用说法，保存后立即生效。',
    'lex.hint.words': '行业词让机器人把它当作一个完整的词（例如“白条分期”）。每个词 2–4 个汉字，可选词频（默认 1000，越大越倾向于切成这个词）。',
    'lex.hint.synonyms': '同义词组由一个标准词和若干同义词组成，访客说同义词时按标准词匹配（例如 退款：退钱、返钱）。一个词只能属于一个同义词组。',
    'lex.search.words': '搜索词', 'lex.search.synonyms': '搜索标准词或同义词', 'lex.new': '新增', 'lex.import': '导入文本文件',
    'lex.word': '词', 'lex.frequency': '词频', 'lex.defaultFrequency': '默认', 'lex.added': '添加时间', 'lex.updated': '更新时间',
    'lex.canonical': '标准词', 'lex.variants': '同义词', 'lex.wordHint': '2–4 个汉字', 'lex.frequencyHint': '可不填，默认 1000',
    'lex.canonicalHint': '知识库问题里使用的说法', 'lex.variantsHint': '每行一个，或用空格、逗号分隔',
    'lex.empty.words': '还没有添加行业词', 'lex.empty.synonyms': '还没有添加同义词',
    'lex.deleteConfirm': '删除“{name}”？',
    'lex.imported': '已导入 {n} 行（新增 {added}，更新 {updated}），{errors} 行有错误未导入',
    'lex.separator': '、', 'lex.lineError': '第 {line} 行：{message}', 'lex.moreErrors': '另有 {n} 行错误未列出',

    'rec.hint': '访客转人工并成功接入客服的会话算作人工会话，不算机器人会话。', 'rec.from': '开始日期', 'rec.to': '结束日期',
    'rec.type': '会话类型', 'rec.channel': '渠道', 'rec.agent': '客服', 'rec.agents': '接待客服', 'rec.visitor': '访客', 'rec.started': '开始时间',
    'rec.ended': '结束时间', 'rec.wait': '排队等待', 'rec.firstResponse': '首次响应', 'rec.duration': '会话时长', 'rec.messages': '消息数',
    'rec.reason': '结束原因', 'rec.rating': '评价', 'rec.botFeedback': '机器人回答反馈', 'rec.botFeedbackCounts': '有用 {useful} · 没用 {notUseful}', 'rec.open': '进行中', 'rec.view': '查看记录', 'rec.empty': '没有符合条件的会话',
    'rec.export.sessions': '导出会话明细 CSV', 'rec.export.daily': '导出每日统计 CSV', 'rec.export.agents': '导出客服统计 CSV', 'rec.exported': '已开始下载',

    'report.run': '查询', 'report.sessions': '会话总数', 'report.avgWait': '平均排队等待', 'report.avgFirstResponse': '平均首次响应',
    'report.avgRating': '平均评分', 'report.leaveMessages': '留言数', 'report.botResolution': '机器人解决率', 'report.botResolutionValue': '{rate}%（有用 {useful} / 没用 {notUseful}）', 'report.sessionsPerDay': '每日会话数（机器人 / 人工）',
    'report.waitPerDay': '每日平均排队等待时间', 'report.ratingDistribution': '满意度评价分布', 'report.noData': '暂无数据',
    'report.ratingUnavailable': '暂时无法统计评价分布',
  },
  en: {
    'app.name': 'Kefu',
    'lang.switch': '中文',
    'lang.switchTitle': 'Switch to Chinese',
    'common.actions': 'Actions', 'common.all': 'All', 'common.cancel': 'Cancel', 'common.close': 'Close', 'common.confirm': 'Please confirm',
    'common.create': 'Create', 'common.delete': 'Delete', 'common.down': 'Down', 'common.edit': 'Edit', 'common.empty': 'Nothing here yet',
    'common.loading': 'Loading…', 'common.more': 'Load more', 'common.no': 'No', 'common.ok': 'OK', 'common.refresh': 'Refresh',
    'common.remove': 'Remove', 'common.rename': 'Rename', 'common.retry': 'Retry', 'common.save': 'Save', 'common.search': 'Search',
    'common.up': 'Up', 'common.yes': 'Yes', 'common.listSep': ', ',
    'time.hms': '{h}h {m}m {s}s', 'time.ms': '{m}m {s}s', 'time.s': '{s}s',
    'error.network': 'Network error, please try again', 'error.unauthorized': 'Your login has expired; please log in again',
    'error.upstream_timeout': 'The service did not answer in time; please try again', 'error.rate_limited': 'Too many requests; please wait a moment',
    'error.visitor_blocked': 'Your message cannot be sent right now. Please try again later.', 'error.cannot_block_self': 'You cannot block yourself.', 'error.cannot_block_agent': 'This visitor is an agent account and cannot be blocked.', 'error.already_lifted': 'The block was already lifted or has expired.', 'error.forbidden': 'You may not do this', 'error.session_not_active': 'The conversation is over or does not exist', 'error.agent_full': 'That agent is full',
    'error.agent_unavailable': 'That agent cannot take sessions now', 'error.not_your_session': 'You do not serve this conversation', 'error.rating_repeated': 'Already rated',
    'error.rating_not_invited': 'This conversation cannot be rated', 'error.version_conflict': 'Someone else changed the settings; reload and try again', 'error.queue_full': 'The queue is full',
    'error.no_service': 'No agent can serve now', 'error.payload_too_large': 'Too large', 'error.unsupported_image': 'Only PNG, JPEG, GIF and WebP images',
    'error.duplicate_keyword': 'This keyword already exists', 'error.self_lockout': 'You cannot disable yourself or remove your own admin role', 'error.transfer_to_self': 'You cannot transfer to yourself',
    'error.http_503': 'The service is unavailable; please try again shortly',

    'login.username': 'Username', 'login.password': 'Password', 'login.submit': 'Log in', 'login.logout': 'Log out',
    'login.wrong': 'Wrong username or password', 'login.needAdmin': 'The admin console needs an admin account',
    'nav.admin': 'Admin console', 'nav.workbench': 'Workbench', 'nav.leave': 'Left messages',
    'role.agent': 'Agent', 'role.admin': 'Admin',
    'status.online': 'Online', 'status.stop_accepting': 'Stop accepting', 'status.offline': 'Offline',
    'type.bot': 'Bot session', 'type.human': 'Human session',
    'channel.web-pc': 'PC web', 'channel.web-h5': 'H5 mobile',
    'day.mon': 'Mon', 'day.tue': 'Tue', 'day.wed': 'Wed', 'day.thu': 'Thu', 'day.fri': 'Fri', 'day.sat': 'Sat', 'day.sun': 'Sun',
    'reason.visitor_button': 'Visitor pressed end', 'reason.visitor_phrase': 'Visitor sent an end phrase', 'reason.agent': 'Ended by the agent',
    'reason.idle_timeout': 'Visitor idle', 'reason.queue_exit': 'Visitor left the queue', 'reason.queue_timeout': 'Queue timeout',
    'reason.no_service': 'No human service (leave-a-message offered)',

    'widget.open': 'Chat with us', 'widget.unread': 'New message',
    'demo.title': 'Kefu widget demo', 'demo.text': 'This page embeds the visitor widget with one script tag. Click "Chat with us" at the bottom right.',
    'home.title': 'Kefu customer service', 'home.chat': 'Visitor chat (H5)', 'home.demo': 'Embedded widget demo (PC)', 'home.workbench': 'Agent workbench',
    'home.admin': 'Admin console',

    'chat.title': 'Customer service', 'chat.messages': 'Messages', 'chat.agentTyping': '{name} is typing…', 'chat.readMark': 'Read', 'chat.unreadMark': 'Unread', 'chat.placeholder': 'Type your question; Enter sends, Shift+Enter adds a line',
    'chat.send': 'Send', 'chat.human': 'Talk to a person', 'chat.end': 'End chat', 'chat.endConfirm': 'End this chat? The agent will no longer be able to reply.', 'chat.leave': 'Leave a message', 'chat.exitQueue': 'Leave the queue',
    'chat.me': 'Me', 'chat.bot': 'Assistant', 'chat.agent': 'Agent', 'chat.didYouMean': 'Did you mean:',
    'chat.feedback': 'Was this answer helpful?', 'chat.useful': 'Helpful', 'chat.notUseful': 'Not helpful', 'chat.feedbackThanks': 'Thanks for your feedback',
    'chat.stateBot': 'The assistant is serving you', 'chat.stateQueued': 'Waiting for an agent', 'chat.stateAssigned': '{name} is serving you', 'chat.stateEnded': 'The chat has ended',
    'chat.welcome': 'Hello! I am the assistant. How can I help you?', 'chat.newSession': 'New conversation',
    'chat.queueTitle': 'Queue', 'chat.queued': 'Connecting you to an agent, please wait…',
    'chat.queuePosition': 'Position {position}', 'chat.queueAhead': '{ahead} ahead of you', 'chat.queueEta': 'about {eta}',
    'chat.assigned': 'Agent {name} has joined', 'chat.transferred': 'You were transferred to agent {name}',
    'chat.ended.visitor_button': 'You ended the chat', 'chat.ended.visitor_phrase': 'You ended the chat', 'chat.ended.agent': 'The agent ended the chat',
    'chat.ended.idle_timeout': 'The chat ended because there was no reply for a while', 'chat.ended.queue_exit': 'You left the queue',
    'chat.ended.queue_timeout': 'The wait was too long; you can leave a message', 'chat.ended.no_service': 'No agent can serve you now; you can leave a message',
    'chat.ended.other': 'The chat has ended',
    'chat.sending': 'Sending…', 'chat.sent': 'Sent', 'chat.failed': 'Not sent', 'chat.rejected': 'Cannot be sent', 'chat.retry': 'Send again',
    'chat.connecting': 'Connecting…', 'chat.offline': 'Connection lost, reconnecting…', 'chat.serviceDown': 'The service is unavailable; messages will be delivered later',

    'rating.title': 'How did we do?', 'rating.stars': '{n} stars', 'rating.comment': 'Tell us more (optional)',
    'rating.submit': 'Send rating', 'rating.thanks': 'Thank you for your rating ({n} stars)',

    'leave.title': 'Leave a message', 'leave.intro': 'No agent can serve you right now. Leave your question and how to reach you, and we will get back to you.',
    'leave.description': 'Your question', 'leave.name': 'Name (optional)', 'leave.phone': 'Phone', 'leave.email': 'E-mail',
    'leave.contactHint': 'Give a phone number or an e-mail address', 'leave.addImages': 'Add images (up to 3)', 'leave.maxImages': 'At most 3 images',
    'leave.submit': 'Send message', 'leave.done': 'Your message was sent; we will contact you soon', 'leave.needDescription': 'Please describe your question',
    'leave.needContact': 'Please give a phone number or an e-mail address', 'leave.badPhone': 'The phone number is not valid', 'leave.badEmail': 'The e-mail address is not valid',

    'image.send': 'Send an image', 'image.button': 'Image', 'image.alt': '[image]', 'image.open': 'View full size', 'image.failed': 'The image could not be loaded', 'image.external': 'Open the image link',
    'image.badType': 'Only PNG, JPEG, GIF and WebP images', 'image.tooLarge': 'Images must be 5 MB or smaller', 'image.uploadFailed': 'The image could not be uploaded',
    'image.uploading': 'Uploading image…',

    'wb.title': 'Agent workbench', 'wb.myStatus': 'My status', 'wb.waiting': 'Waiting in queue', 'wb.capacity': 'Auto-accept count', 'wb.load': 'Serving now',
    'wb.sessions': 'Sessions', 'wb.current': 'Current sessions', 'wb.noSessions': 'No visitors yet', 'wb.messages': 'Messages',
    'wb.pick': 'Pick a session on the left', 'wb.visitorTyping': 'The visitor is typing…', 'wb.readMark': 'Read', 'wb.unreadMark': 'Unread', 'wb.visitorTypingPreview': 'The visitor is typing: {preview}', 'wb.input': 'Message', 'wb.inputHint': 'Type a reply; Enter sends, Shift+Enter adds a line; paste screenshots',
    'wb.send': 'Send', 'wb.sendImage': 'Send an image', 'wb.tools': 'Session tools', 'wb.assist': 'Smart assist', 'wb.transfer': 'Transfer',
    'wb.capture': 'Capture Q&A', 'wb.end': 'End session', 'wb.ended': 'Ended', 'wb.transferredAway': 'Transferred to {name}', 'wb.dismiss': 'Remove from the list', 'wb.unread': '{n} unread',
    'wb.waitingFor': 'Waiting {time}', 'wb.visitor': 'Visitor', 'wb.visitorShort': 'Visitor {id}', 'wb.bot': 'Bot', 'wb.agent': 'Agent', 'wb.me': 'Me',
    'wb.connected': 'Connected', 'wb.connecting': 'Connecting…', 'wb.disconnected': 'Disconnected, reconnecting',
    'wb.newSession': 'New session', 'wb.newMessage': 'New visitor message', 'wb.newLeaveMessage': 'New left message',
    'wb.ev.created': 'The visitor started a conversation', 'wb.ev.queued': 'The visitor joined the queue ({reason})', 'wb.ev.assigned': '{name} took the session',
    'wb.ev.transferred': '{from} transferred to {to}', 'wb.ev.ended': 'Session ended: {reason}', 'wb.ev.rated': 'Visitor rating: {n} stars',
    'wb.ev.feedback': 'Visitor feedback on the bot answer: {value}', 'wb.feedback.useful': 'helpful', 'wb.feedback.notUseful': 'not helpful',
    'wb.queueReason.visitor_request': 'pressed the button', 'wb.queueReason.keyword': 'asked for a person', 'wb.queueReason.bot_failures': 'the bot could not answer',
    'wb.queueReason.agent_gone': 'the agent went away',
    'wb.showAssist': 'Show suggestions', 'wb.assistFor': 'Smart assist · visitor question', 'wb.assistFetch': 'Get suggestions', 'wb.assistNone': 'Nothing matched in the knowledge base',
    'wb.assistSend': 'Click to send to the visitor', 'wb.assistEdit': 'Edit first',
    'wb.transferTo': 'Agent to transfer to', 'wb.transferNote': 'Note for the agent (optional)', 'wb.transferHint': 'Only online agents with room can take it; they see the whole history.',
    'wb.transferDo': 'Transfer', 'wb.transferPick': 'Pick an agent', 'wb.transferred': 'Transferred to {name}', 'wb.noAgents': 'No other agent is online',
    'wb.agentLoad': 'serving {load} / {capacity}', 'wb.full': 'full',
    'wb.question': 'Question', 'wb.answer': 'Answer', 'wb.pickQuestion': 'Use as the question', 'wb.pickAnswer': 'Use as the answer',
    'wb.captureHint': 'Tick one visitor question and one answer', 'wb.captureNext': 'Next', 'wb.captureRule': 'One question and one answer at most; edit them before saving to the knowledge base.',
    'wb.captureEmpty': 'Both the question and the answer are needed', 'wb.captured': 'Saved to the knowledge base',
    'wb.endConfirm': 'End this session?', 'wb.extension': 'Extension area', 'wb.visitorInfo': 'Visitor', 'wb.channel': 'Channel',
    'wb.visitorId': 'Visitor ID', 'wb.attr.name': 'Name', 'wb.attr.device': 'Device', 'wb.attr.user_agent': 'Browser', 'wb.attr.page_url': 'Page',
    'wb.attr.locale': 'Language', 'wb.firstSeen': 'First seen', 'wb.previous': 'Previous sessions', 'wb.noPrevious': 'No earlier sessions',
    'wb.messagesCount': '{n} messages', 'wb.transcript': 'Transcript', 'wb.transcriptOf': 'Transcript · {time}',

    'qr.title': 'Quick replies', 'qr.public': 'Public', 'qr.personal': 'Personal', 'qr.category': 'Category', 'qr.allCategories': 'All categories',
    'qr.search': 'Search keywords', 'qr.empty': 'No quick replies', 'qr.insert': 'Insert into the message', 'qr.managePersonal': 'Manage my library',
    'qr.add': 'Add a quick reply', 'qr.edit': 'Edit the quick reply', 'qr.keyword': 'Keyword', 'qr.content': 'Reply', 'qr.noCategory': 'No category',
    'qr.categories': 'Categories', 'qr.newCategory': 'New category', 'qr.addCategory': 'Add category', 'qr.categoryName': 'Category name',
    'qr.deleteCategory': 'Delete the category "{name}"?', 'qr.deleteItem': 'Delete the quick reply "{keyword}"?', 'qr.needBoth': 'Both the keyword and the reply are needed',
    'qr.publicHint': 'Admins edit the public library; every agent can use it.',

    'lm.unclaimed': 'Unclaimed', 'lm.claimed': 'Claimed', 'lm.closed': 'Closed', 'lm.claim': 'Claim', 'lm.close': 'Close', 'lm.empty': 'No messages',
    'lm.note': 'Note', 'lm.noteOptional': 'Note (optional)', 'lm.done': 'Done',

    'admin.title': 'Admin console', 'admin.menu': 'Administration', 'admin.human': 'Human service', 'admin.rating': 'Satisfaction rating', 'admin.session': 'Session settings',
    'admin.blocks': 'Blacklist', 'blk.hint': 'Visitors blocked from the workbench: while blocked, their messages open no session and join no queue; they only see "cannot send right now".', 'blk.activeOnly': 'In force only', 'blk.channel': 'Channel', 'blk.visitor': 'Visitor', 'blk.reason': 'Reason', 'blk.by': 'Blocked by', 'blk.at': 'Blocked at', 'blk.until': 'Until', 'blk.state': 'State', 'blk.forever': 'Permanent', 'blk.active': 'In force', 'blk.lifted': 'Lifted ({time})', 'blk.expired': 'Expired', 'blk.lift': 'Lift', 'blk.liftConfirm': 'Lift the block on visitor {visitor}?', 'blk.liftDone': 'Block lifted', 'blk.empty': 'No blocks',
    'wb.groupOption': 'Skill group: {name}', 'wb.groupLoad': '{waiting} waiting · {online} online', 'wb.transferredToGroup': 'Moved to the queue of skill group "{name}"', 'admin.groups': 'Skill groups', 'grp.hint': 'Split agents by line of business: each skill group has its own queue, service hours, queue prompt, capacity rule and overflow. Visitors reach a group by their entry (data-group / ?group=), the channel, a transfer keyword or the bot\'s menu; everyone else waits in the default queue, served by every agent.', 'grp.defaultQueue': 'Waiting in the default queue: {waiting}', 'grp.id': 'Id', 'grp.name': 'Name', 'grp.channels': 'Channels', 'grp.keywords': 'Transfer keywords', 'grp.keywordsHint': 'after-sales, return', 'grp.waiting': 'Waiting', 'grp.online': 'Agents online', 'grp.overflow': 'Overflow', 'grp.overflowText': 'after {seconds} s to {to}', 'grp.leaveMessage': 'Leave a message', 'grp.noOverflow': 'No overflow', 'grp.empty': 'No skill groups yet: every visitor joins one queue.', 'grp.new': 'New skill group', 'grp.editTitle': 'Edit skill group {id}', 'grp.hours': 'Service hours', 'grp.hoursShared': 'As in the human-service settings', 'grp.hoursAlways': 'Around the clock', 'grp.hoursOwn': 'The group\'s own hours', 'grp.prompt': 'Queue prompt', 'grp.promptHint': 'Empty: the queue prompt of the human-service settings', 'grp.maxLength': 'Maximum queue length', 'grp.capacity': 'Sessions of this group per agent at most', 'grp.overflowAfter': 'Overflow after (seconds)', 'grp.overflowTo': 'Overflow to', 'grp.badId': 'The id may contain lowercase letters, digits, - and _, starting with a letter or digit', 'grp.deleteConfirm': 'Delete the skill group "{name}"? Its waiting visitors move to the default queue.', 'grp.saved': 'Skill group saved', 'grp.members': 'Members', 'grp.membersHint': 'Tick the groups each agent serves (several allowed); an agent takes the longest-waiting visitor among their groups.', 'grp.agent': 'Agent', 'grp.memberOf': '{agent} serves {group}', 'grp.membersSaved': 'Skill groups of {agent} saved',
    'wb.block': 'Block', 'wb.blockHint': 'Blocking ends this session now; while blocked, the visitor\'s messages open no session and they only see "cannot send right now". Admins can lift it under Blacklist.', 'wb.blockReason': 'Reason', 'wb.blockReasonHint': 'E.g. abuse, spam (not shown to the visitor)', 'wb.blockDuration': 'Duration', 'wb.block1h': '1 hour', 'wb.block1d': '1 day', 'wb.block7d': '7 days', 'wb.block30d': '30 days', 'wb.blockForever': 'Permanent', 'wb.blockDo': 'Block', 'wb.blockReasonEmpty': 'Give a reason', 'wb.blocked': 'Blocked; the session has ended',
    'admin.accounts': 'Accounts', 'admin.quick-replies': 'Quick replies', 'admin.knowledge': 'Knowledge base', 'admin.leave': 'Left messages',
    'admin.unknown': 'Unknown questions', 'admin.lexicon': 'Words and synonyms',
    'admin.channels': 'API channels',
    'ch.hint': 'External systems (your app, a mini-program backend…) send visitor messages over HTTP with an API key; see docs/integrations.md. A channel\'s human-service rules are set by its name on the Human service page.',
    'ch.none': 'No API channel yet', 'ch.new': 'New API channel', 'ch.name': 'Channel name', 'ch.nameHint': 'Lowercase letters, digits, - and _, e.g. shopapp; cannot be changed later',
    'ch.displayName': 'Display name', 'ch.activeKeys': 'Usable keys', 'ch.created': 'Created', 'ch.keys': 'Keys', 'ch.keysOf': 'API keys of {name}',
    'ch.prefix': 'Key prefix', 'ch.label': 'Label', 'ch.status': 'Status', 'ch.revokedAt': 'Ends', 'ch.newKey': 'New key',
    'ch.status.active': 'Active', 'ch.status.expiring': 'Expiring', 'ch.status.revoked': 'Revoked',
    'ch.rotate': 'Rotate', 'ch.revoke': 'Revoke', 'ch.revoked': 'Key revoked', 'ch.revokeConfirm': 'Revoke key {prefix}…? Requests using it are refused at once.',
    'ch.grace': 'Keep the old key', 'ch.grace.0': 'Revoke at once', 'ch.grace.3600': '1 hour', 'ch.grace.86400': '1 day', 'ch.grace.604800': '7 days',
    'ch.rotateHint': 'A new key is issued; the old one stops working when the grace period ends.',
    'ch.secretTitle': 'New API key', 'ch.secretHint': 'The key is shown only this once: copy it now and keep it safe; only its hash is stored.',
    'ch.copy': 'Copy', 'ch.copied': 'Copied',
    'admin.webhooks': 'Webhooks',
    'wh.hint': 'Push conversation events to your systems (CRM, tickets…) as they happen: signed per Standard Webhooks, retried with exponential backoff for 24 hours, in seq order per session.',
    'wh.url': 'URL', 'wh.urlHint': 'http(s) only; private, loopback and reserved addresses are refused', 'wh.eventTypes': 'Event types', 'wh.channels': 'Channels',
    'wh.channelsHint': 'Empty for every channel; separate several with commas', 'wh.timeout': 'Timeout (ms)', 'wh.description': 'Description', 'wh.state': 'State',
    'wh.enabled': 'Enabled', 'wh.disabled': 'Disabled', 'wh.failures': '{n} failures in a row', 'wh.deliveries': 'Deliveries', 'wh.disable': 'Disable',
    'wh.enable': 'Enable', 'wh.rotate': 'Rotate secret', 'wh.new': 'New webhook', 'wh.empty': 'No webhooks yet',
    'wh.secret': 'Signing secret', 'wh.secretOnce': 'Copy it now: the secret is shown only once. Receivers use it to check webhook-signature.',
    'wh.disableConfirm': 'Disable {url}? No new deliveries are made while it is disabled.', 'wh.rotateConfirm': 'Create a new secret? The old one stays valid for 24 hours.',
    'wh.autoDisabled': 'These webhooks kept failing and were disabled: {urls}. Enable them again once the receiver is fixed.',
    'wh.status': 'Status', 'wh.event': 'Event', 'wh.attempts': 'Attempts', 'wh.code': 'Response', 'wh.latency': 'Latency', 'wh.lastError': 'Last error',
    'wh.time': 'Time', 'wh.next': 'Next try {time}', 'wh.noDeliveries': 'No deliveries yet', 'wh.retried': 'Queued again',
    'wh.replay': 'Replay', 'wh.replayHint': 'Queue again the deliveries of this period that did not succeed (same webhook-id).', 'wh.from': 'From', 'wh.to': 'To',
    'wh.includeDelivered': 'Include delivered ones', 'wh.replayRange': 'Pick a start and an end', 'wh.replayed': '{n} queued again',
    'wh.s.pending': 'Pending', 'wh.s.failed': 'Retrying', 'wh.s.delivered': 'Delivered', 'wh.s.dead': 'Dead', 'wh.s.blocked': 'Blocked',
    'uq.hint': 'Questions the bot could not answer, answered only with “did you mean” choices, or whose answer a visitor marked not helpful, grouped by wording (greetings, punctuation and final particles aside). Handled groups leave the list; they come back if asked again.',
    'uq.question': 'Visitor question', 'uq.count': 'Times', 'uq.kinds': 'Kind', 'uq.lastSeen': 'Last seen', 'uq.firstSeen': 'First seen: {time}',
    'uq.total': '{n} groups to handle', 'uq.empty': 'No unknown questions', 'uq.unanswered': 'Unanswered {n}', 'uq.suggested': 'Did you mean {n}',
    'uq.notUseful': 'Not helpful {n}', 'uq.botEntry': 'Bot matched: {question}', 'uq.addSimilar': 'Add as similar question', 'uq.create': 'New entry',
    'uq.ignore': 'Ignore', 'uq.ignoreConfirm': 'Ignore “{question}”? It leaves the list.', 'uq.similarQuestion': 'Similar question to add',
    'uq.pickEntry': 'Pick an entry (closest first, or search)', 'uq.noEntries': 'No entries found', 'uq.needEntry': 'Pick an entry first',
    'uq.added': 'Added to “{question}”',
    'admin.records': 'Conversation records', 'admin.reports': 'Reports', 'admin.saved': 'Saved', 'admin.savedAt': 'Version {version}, updated {time}',
    'admin.conflict': 'Another admin changed the settings; reload the page and edit again',

    'set.human': 'Human service', 'set.humanEnabled': 'Human service on', 'set.humanHint': 'When on, visitors reach agents when the bot cannot answer or when they ask for a person.',
    'set.channels': 'Channels', 'set.channelsHint': 'Per channel: human service and the transfer conditions. Leave the bot limit empty to turn that condition off.',
    'set.channel': 'Channel', 'set.chHuman': 'Human service', 'set.chButton': 'Transfer button', 'set.chKeywords': 'Transfer keywords', 'set.chLimit': 'Unanswered bot replies', 'set.chPriority': 'Queue priority', 'set.chPriorityHint': '0 is normal, 9 most urgent; a priority the connector gives on a message wins',
    'set.off': 'off', 'set.newChannel': 'New channel name', 'set.addChannel': 'Add channel', 'set.badChannel': 'Channel names use lowercase letters, digits, - and _',
    'set.hours': 'Service hours', 'set.hoursHint': 'Several windows per day with minute precision (HH:MM); an end before the start crosses midnight; days without windows have no human service.',
    'set.timezone': 'Time zone', 'set.addWindow': 'Add window', 'set.start': 'Start', 'set.end': 'End', 'set.copyMonday': 'Copy Monday to Tuesday–Friday',
    'set.overrides': 'Holidays and special days', 'set.overridesHint': 'A date here wins over the weekly hours: closed all day, or its own windows.',
    'set.date': 'Date', 'set.overrideType': 'Type', 'set.windows': 'Windows', 'set.closed': 'Closed', 'set.special': 'Special hours',
    'set.addOverride': 'Add date', 'set.badTime': 'The time "{value}" is not HH:MM', 'set.badDate': 'Pick a date for every special day',
    'set.badTimezone': 'Enter a time zone', 'set.badNumber': '"{field}" must be a whole number',
    'set.queue': 'Queue', 'set.queuePrompt': 'Queue prompt', 'set.queuePromptHint': 'Variables: {position} place, {ahead} people ahead, {eta} estimated wait; sent again on every change.',
    'set.exitKeywords': 'Exit keywords', 'set.listHint': 'Separate with commas', 'set.linesHint': 'One per line',
    'set.queueMax': 'Maximum queue length', 'set.queueTimeout': 'Queue timeout', 'set.seconds': 'In seconds',
    'set.outOfService': 'Prompts when no human can serve', 'set.outOfServicePrompt': 'Out of service hours',
    'set.noService.service_off': 'Human service switched off', 'set.noService.channel_off': 'Channel without human service',
    'set.noService.nobody_present': 'No agent signed in during service hours', 'set.noService.queue_full': 'Queue full',
    'set.noService.queue_timeout': 'Queue timeout',
    'set.matchMode': 'Match mode', 'set.match.whole_message': 'Whole message (equal after trimming punctuation)', 'set.match.contains': 'Contains (anywhere in the message)',
    'set.matchHint': 'Whole message by default: "I don\'t need a human" does not trigger "human".',
    'set.waitWithoutAgents': 'Let visitors queue during service hours while no agent is signed in',
    'set.waitWithoutAgentsHint': 'Visitors wait for the first agent; after the queue timeout they are offered leave-a-message.',
    'set.queueTimeoutHint': 'In seconds, 30–86400',
    'set.ratingEnabled': 'Satisfaction rating on', 'set.ratingHint': 'When on, visitors are asked for 1–5 stars when a human session ends, once per session.',
    'set.visitorEnd': 'Visitor ends the session', 'set.endPhrases': 'End phrases', 'set.endButtonFor': 'Show the end button on {channel}',
    'set.idle': 'Idle timeout', 'set.idleTimeout': 'End after visitor silence (s)', 'set.idleHint': '0 turns it off',
    'set.idleWarning': 'Warn before (s)', 'set.idlePrompt': 'Warning text', 'set.idlePromptHint': 'Variables: {remaining} the time left (e.g. "30秒"), {minutes} whole minutes left',
    'set.presenceGrace': 'Agent disconnect grace (s)',
    'set.sensitive': 'Sensitive words', 'set.sensitiveWords': 'Sensitive words', 'set.sensitiveHint': 'One per line; each is replaced by * in messages.',

    'acc.hint': 'While an agent serves as many sessions as their auto-accept count, no new session is assigned to them.', 'acc.username': 'Username', 'acc.displayName': 'Display name',
    'acc.role': 'Role', 'acc.capacity': 'Auto-accept count', 'acc.disabled': 'Disabled', 'acc.created': 'Created', 'acc.new': 'New account',
    'acc.resetPassword': 'Reset password', 'acc.newPassword': 'New password', 'acc.password': 'Password', 'acc.passwordHint': '8–128 characters',
    'acc.passwordReset': 'Password reset; the account must log in again', 'acc.createdToast': 'Account created', 'acc.badCapacity': 'The auto-accept count is a whole number from 0 to 50',
    'acc.usernameHint': 'Letters, digits or . _ @ -', 'acc.capacityHint': '0–50',

    'kb.search': 'Search questions and answers', 'kb.new': 'New entry', 'kb.edit': 'Edit entry', 'kb.question': 'Standard question', 'kb.similar': 'Similar questions',
    'kb.answer': 'Answer', 'kb.category': 'Category', 'kb.enabled': 'Enabled', 'kb.updated': 'Updated', 'kb.empty': 'The knowledge base is empty',
    'kb.similarCount': '{n} similar questions', 'kb.needBoth': 'Both the question and the answer are needed', 'kb.deleteConfirm': 'Delete "{question}"?',
    'kb.test': 'Test a question', 'kb.testPlaceholder': 'A question a visitor might ask', 'kb.testRun': 'Test', 'kb.answered': 'The bot can answer this',
    'kb.notAnswered': 'The bot cannot answer this', 'kb.import': 'Import', 'kb.export': 'Export CSV', 'kb.imported': '{n} imported, {errors} with errors',
    'kb.lexicon': 'Words and synonyms',
    'lex.tab.words': 'Words', 'lex.tab.synonyms': 'Synonyms', 'lex.back': 'Back to the knowledge base',
    'lex.intro': 'Before matching, the bot splits questions into words and replaces synonyms. Add trade words and customer wording here; changes apply at once.',
    'lex.hint.words': 'A trade word is kept whole when questions are split (e.g. 白条分期). 2–4 Chinese characters, optional frequency (default 1000; higher favours the word).',
    'lex.hint.synonyms': 'A group has a canonical word and its variants; a visitor using a variant matches as if the canonical word was used (e.g. 退款: 退钱, 返钱). A word belongs to one group only.',
    'lex.search.words': 'Search words', 'lex.search.synonyms': 'Search canonical words or variants', 'lex.new': 'Add', 'lex.import': 'Import a text file',
    'lex.word': 'Word', 'lex.frequency': 'Frequency', 'lex.defaultFrequency': 'Default', 'lex.added': 'Added', 'lex.updated': 'Updated',
    'lex.canonical': 'Canonical word', 'lex.variants': 'Variants', 'lex.wordHint': '2–4 Chinese characters', 'lex.frequencyHint': 'Optional, default 1000',
    'lex.canonicalHint': 'The wording the knowledge base uses', 'lex.variantsHint': 'One per line, or separated by spaces or commas',
    'lex.empty.words': 'No words yet', 'lex.empty.synonyms': 'No synonyms yet',
    'lex.deleteConfirm': 'Delete "{name}"?',
    'lex.imported': '{n} lines imported ({added} added, {updated} updated); {errors} lines with errors were not imported',
    'lex.separator': ', ', 'lex.lineError': 'Line {line}: {message}', 'lex.moreErrors': '{n} more lines with errors not listed',

    'rec.hint': 'A session that reached an agent counts as a human session, not a bot session.', 'rec.from': 'From', 'rec.to': 'To',
    'rec.type': 'Type', 'rec.channel': 'Channel', 'rec.agent': 'Agent', 'rec.agents': 'Agents', 'rec.visitor': 'Visitor', 'rec.started': 'Started',
    'rec.ended': 'Ended', 'rec.wait': 'Queue wait', 'rec.firstResponse': 'First response', 'rec.duration': 'Duration', 'rec.messages': 'Messages',
    'rec.reason': 'End reason', 'rec.rating': 'Rating', 'rec.botFeedback': 'Bot answer feedback', 'rec.botFeedbackCounts': 'Helpful {useful} · not helpful {notUseful}', 'rec.open': 'Open', 'rec.view': 'Transcript', 'rec.empty': 'No session matches',
    'rec.export.sessions': 'Export sessions CSV', 'rec.export.daily': 'Export daily CSV', 'rec.export.agents': 'Export agents CSV', 'rec.exported': 'Download started',

    'report.run': 'Show', 'report.sessions': 'Sessions', 'report.avgWait': 'Average queue wait', 'report.avgFirstResponse': 'Average first response',
    'report.avgRating': 'Average rating', 'report.leaveMessages': 'Left messages', 'report.botResolution': 'Bot resolution rate', 'report.botResolutionValue': '{rate}% (helpful {useful} / not {notUseful})', 'report.sessionsPerDay': 'Sessions per day (bot / human)',
    'report.waitPerDay': 'Average queue wait per day', 'report.ratingDistribution': 'Satisfaction ratings', 'report.noData': 'No data',
    'report.ratingUnavailable': 'The rating distribution is unavailable',
  },
};

/** The page's language: saved choice, else Chinese. */
export function currentLang() {
  let saved = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch {
    saved = null;
  }
  return LANGS.includes(saved) ? saved : 'zh-CN';
}

/** The text for `key` with `{name}` variables filled in; the key itself when missing. */
export function t(key, vars) {
  const table = messages[currentLang()] || messages['zh-CN'];
  let text = table[key];
  if (text === undefined) text = messages['zh-CN'][key];
  if (text === undefined) return key;
  if (vars) text = text.replace(/\{(\w+)\}/g, (m, name) => (vars[name] === undefined || vars[name] === null ? m : String(vars[name])));
  return text;
}

/** Sets `<html lang>` and fills `[data-i18n]` elements (static pages). */
export function applyLang(root = document) {
  document.documentElement.lang = currentLang();
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

/** Sets the tab title. */
export function applyTitle(key) {
  document.title = t(key);
}

/** Saves the language and reloads (the pages keep their state in storage and on the server). */
export function setLang(lang) {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    /* storage blocked: only this page view changes */
  }
  location.reload();
}

/** The language switch button (中文 ⇄ English). */
export function langSwitch() {
  const next = currentLang() === 'zh-CN' ? 'en' : 'zh-CN';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'btn lang-switch';
  button.id = 'lang-switch';
  button.lang = next;
  button.textContent = t('lang.switch');
  button.title = t('lang.switchTitle');
  button.addEventListener('click', () => setLang(next));
  return button;
}
