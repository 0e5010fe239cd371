P = [
# card.apply
("card.apply","paraphrase","我想办一张你们的信用卡要怎么弄"),("card.apply","mixed","怎么apply信用卡"),("card.apply","long","你好，我刚参加工作半年，每个月工资六千左右，之前从来没有用过信用卡，想问下我这种情况能不能办，在哪里申请"),
# card.progress
("card.progress","paraphrase","上周提交的办卡申请现在审核得怎么样了"),("card.progress","colloquial","我那卡批下来没啊"),("card.progress","typo","申请金度怎么查"),
# card.rejected
("card.rejected","paraphrase","办卡没批下来是为什么"),("card.rejected","colloquial","咋又被拒了"),("card.rejected","long","我上个月在手机银行上申请了一张信用卡，今天收到短信说审核没有通过，我收入挺稳定的也没有逾期过，想知道到底是什么原因"),
# card.activate
("card.activate","short","开卡"),("card.activate","paraphrase","卡已经收到了要怎么才能用"),("card.activate","mixed","新卡怎么activate"),
# card.delivery
("card.delivery","paraphrase","审批过了卡什么时候能到我手上"),("card.delivery","colloquial","卡咋还没寄到"),("card.delivery","mixed","信用卡寄出来了吗有没有tracking number"),
# card.annual-fee
("card.annual-fee","paraphrase","这张卡每年要交钱吗"),("card.annual-fee","short","年费"),("card.annual-fee","typo","年废怎么免"),("card.annual-fee","colloquial","扣我年费了凭啥"),
# card.cancel
("card.cancel","paraphrase","这张信用卡我不想要了怎么处理"),("card.cancel","colloquial","卡不用了咋销掉"),("card.cancel","long","我手上有三张信用卡，平时只用一张，另外两张放着也没用还怕忘了管，想把用不上的那两张彻底注销掉，要怎么操作"),
# card.lost
("card.lost","paraphrase","钱包丢了里面有信用卡怎么办"),("card.lost","short","挂失"),("card.lost","long","今天下午在商场逛街的时候钱包被偷了，里面有你们的信用卡和身份证，我现在很着急，卡要怎么处理才不会被别人刷"),
# card.replace
("card.replace","paraphrase","卡片折断了能重新做一张吗"),("card.replace","colloquial","卡坏了刷不出来咋整"),("card.replace","typo","卡片坏了怎么不办"),
# card.expire
("card.expire","paraphrase","卡上的有效期下个月就到了会寄新卡吗"),("card.expire","short","卡片到期"),("card.expire","mixed","卡快expire了怎么办"),
# card.supplementary
("card.supplementary","paraphrase","我想给我老婆也办一张用我的额度"),("card.supplementary","short","附属卡"),("card.supplementary","colloquial","给孩子弄张副卡行不行"),
# card.upgrade
("card.upgrade","paraphrase","普卡能不能换成白金卡"),("card.upgrade","colloquial","我这卡等级太低了想升一下"),("card.upgrade","mixed","怎么升级到platinum卡"),
# limit.raise
("limit.raise","paraphrase","我的额度不够用能不能给我调高一点"),("limit.raise","short","提额"),("limit.raise","colloquial","额度太少了根本不够花"),("limit.raise","typo","怎么提高信用卡额渡"),
# limit.temporary
("limit.temporary","paraphrase","下个月要出去旅游想短期内多一些额度"),("limit.temporary","colloquial","能临时给我多加点额度不"),("limit.temporary","long","我下周要装修房子，要付一笔比较大的材料款，但是现在的额度不够，只是这一个月需要，之后就用不上了，有没有办法临时加一下"),
# limit.query
("limit.query","paraphrase","我这张卡一共能刷多少钱"),("limit.query","short","可用额度"),("limit.query","mixed","怎么看我的credit limit"),
# limit.lowered
("limit.lowered","paraphrase","好好的额度怎么就少了"),("limit.lowered","colloquial","凭什么把我额度降了"),("limit.lowered","long","我用这张卡五年了，每个月都按时全额还款，今天打开app发现额度从五万变成了两万，也没有人通知我，这是怎么回事"),
# bill.date
("bill.date","paraphrase","我每个月几号要还钱"),("bill.date","short","还款日"),("bill.date","mixed","账单日是哪天 due date呢"),("bill.date","typo","最后还款日是几好"),
# bill.query
("bill.query","paraphrase","这个月都刷了哪些钱在哪能看到"),("bill.query","colloquial","我想看看这个月花了多少"),("bill.query","mixed","信用卡bill在哪里查"),
# bill.change-date
("bill.change-date","paraphrase","账单日能改到每个月月底吗"),("bill.change-date","colloquial","账单日太别扭了想换一天"),("bill.change-date","long","我的工资是每个月十五号发，但是信用卡还款日是每个月五号，每次都要等很久，能不能把账单日往后调一调"),
# repay.how
("repay.how","paraphrase","信用卡的钱要怎么还进去"),("repay.how","short","还款方式"),("repay.how","mixed","信用卡怎么repay"),("repay.how","typo","信用卡怎么还宽"),
# repay.autopay
("repay.autopay","paraphrase","能不能每个月自动从工资卡里扣钱还信用卡"),("repay.autopay","mixed","怎么设置auto pay"),("repay.autopay","colloquial","老忘还款能不能让它自己扣"),
# repay.minimum
("repay.minimum","paraphrase","这个月钱不够只还一部分可以吗"),("repay.minimum","short","最低还款"),("repay.minimum","long","这个月手头有点紧，信用卡账单一万二，我只能先还两千左右，听说可以只还最低，这样做会不会有什么问题"),
# repay.overdue
("repay.overdue","paraphrase","过了还款日还没还会怎么样"),("repay.overdue","colloquial","我忘了还钱了完了"),("repay.overdue","typo","信用卡鱼期了怎么办"),("repay.overdue","long","上个月出差比较忙，信用卡还款的事情完全忘记了，今天看到短信才发现已经过了还款日好几天，会不会影响我以后贷款买房"),
# repay.grace
("repay.grace","paraphrase","还款日过了一天再还算不算逾期"),("repay.grace","short","宽限期"),("repay.grace","colloquial","晚两天还没事吧"),
# repay.overpaid
("repay.overpaid","paraphrase","我不小心多还了一千块能拿回来吗"),("repay.overpaid","colloquial","还款多打了钱咋弄回来"),("repay.overpaid","short","溢缴款"),
# interest.rate
("interest.rate","paraphrase","没有全部还清的话利息是怎么计算的"),("interest.rate","mixed","信用卡的interest怎么算"),("interest.rate","colloquial","利息是不是很高啊"),
# installment.bill
("installment.bill","paraphrase","这期账单太多了能分几个月还吗"),("installment.bill","short","账单分期"),("installment.bill","long","这个月因为家里老人住院花了很多钱，信用卡账单一下子出了三万多，一次性肯定还不上，有没有办法分几个月慢慢还"),("installment.bill","mixed","账单能不能做installment"),
# installment.fee
("installment.fee","paraphrase","分期要多收多少钱"),("installment.fee","colloquial","分期贵不贵啊"),("installment.fee","typo","分期手续废多少"),
# installment.early
("installment.early","paraphrase","分期还了一半剩下的想一次还掉"),("installment.early","colloquial","分期能不能一口气还完"),("installment.early","long","去年买车位的时候做了24期分期，现在手头宽裕了，想把剩下的钱一次性还掉，不知道可不可以，手续费怎么算"),
# installment.purchase
("installment.purchase","paraphrase","昨天买电脑刷的那一笔能分期吗"),("installment.purchase","colloquial","刚买的手机太贵了能分期不"),("installment.purchase","short","这笔能分期吗"),
# cash.advance
("cash.advance","paraphrase","能用信用卡在ATM上取钱吗"),("cash.advance","short","取现"),("cash.advance","mixed","信用卡可以cash advance吗"),
# cash.fee
("cash.fee","paraphrase","用信用卡取钱要收多少费用"),("cash.fee","colloquial","取个现扣这么多钱"),("cash.fee","typo","取现收续费是多少"),
# txn.unknown
("txn.unknown","paraphrase","账单上有一笔钱我完全没印象"),("txn.unknown","colloquial","我卡被人刷了"),("txn.unknown","long","刚才半夜突然收到短信说我的信用卡在外地消费了八千多，可是卡一直在我身上，我人也在家里睡觉，这是怎么回事啊，我该怎么办"),("txn.unknown","mixed","有一笔charge不是我刷的"),
# txn.declined
("txn.declined","paraphrase","在超市付款的时候卡一直刷不过去"),("txn.declined","colloquial","卡咋用不了了"),("txn.declined","mixed","付款提示declined是什么意思"),("txn.declined","long","中午和同事吃饭结账的时候，刷了两次都显示交易失败，额度明明还有很多，最后还是同事帮我付的，太尴尬了，到底什么原因"),
# txn.refund
("txn.refund","paraphrase","网购退货了钱还没回到信用卡上"),("txn.refund","mixed","refund多久到卡上"),("txn.refund","colloquial","退的钱咋还没到"),
# txn.foreign
("txn.foreign","paraphrase","去日本旅游能用这张卡刷吗"),("txn.foreign","mixed","信用卡在overseas能用吗"),("txn.foreign","long","下个月要带孩子去欧洲玩两周，不想带太多现金，想问问你们的信用卡在那边能不能直接刷，需要提前做什么设置吗"),
# txn.foreign-fee
("txn.foreign-fee","paraphrase","在国外买东西会额外收费吗"),("txn.foreign-fee","mixed","海外消费有没有foreign transaction fee"),("txn.foreign-fee","colloquial","国外刷卡扣不扣钱"),
# txn.online-pay
("txn.online-pay","paraphrase","微信付款能用信用卡吗怎么加上去"),("txn.online-pay","mixed","信用卡怎么绑wechat pay"),("txn.online-pay","typo","支付宝怎么帮定信用卡"),
# security.password
("security.password","paraphrase","信用卡的交易密码想不起来了"),("security.password","short","重置密码"),("security.password","colloquial","密码忘了咋办"),("security.password","mixed","信用卡password忘记了"),
# security.sms
("security.sms","paraphrase","每次刷卡都想收到短信通知怎么设置"),("security.sms","colloquial","刷了卡咋没短信"),("security.sms","typo","交易短信提醒怎么开痛"),
# security.freeze
("security.freeze","paraphrase","卡找不到了先锁一下等找到再解开"),("security.freeze","short","锁卡"),("security.freeze","mixed","可以把卡暂时lock吗"),
# security.fraud-call
("security.fraud-call","paraphrase","刚有人打电话说是银行的让我报验证码"),("security.fraud-call","long","刚才接到一个电话，对方说是你们银行信用卡中心的，说可以帮我把额度提到十万，让我把手机收到的验证码告诉他，我有点怀疑，这是真的吗"),("security.fraud-call","colloquial","这电话是不是骗子"),
# points.query
("points.query","paraphrase","我攒了多少积分在哪看"),("points.query","short","积分查询"),("points.query","mixed","我的reward points有多少"),
# points.redeem
("points.redeem","paraphrase","积分能换些什么东西"),("points.redeem","colloquial","积分有啥用"),("points.redeem","typo","积分怎么对换"),("points.redeem","mixed","积分能换airline里程吗"),
# points.expire
("points.expire","paraphrase","积分放着不用会不会没了"),("points.expire","short","积分清零"),("points.expire","colloquial","积分会作废不"),
# benefits.airport
("benefits.airport","paraphrase","坐飞机的时候能用你们的卡进休息室吗"),("benefits.airport","mixed","机场lounge怎么进"),("benefits.airport","short","贵宾厅"),
# account.open
("account.open","paraphrase","我想在你们银行开个户"),("account.open","colloquial","办张卡要带啥"),("account.open","long","我刚来这个城市工作，公司要求提供一张你们银行的工资卡，我以前没有在你们这里开过户，请问要准备什么材料，去哪里办"),
# account.balance
("account.balance","paraphrase","我想看看储蓄卡里还剩多少钱"),("account.balance","short","查余额"),("account.balance","mixed","怎么查卡里的balance"),
# account.transfer
("account.transfer","paraphrase","怎么把钱打到别人的卡上"),("account.transfer","colloquial","给朋友转个钱咋弄"),("account.transfer","mixed","手机银行怎么transfer"),
# account.transfer-limit
("account.transfer-limit","paraphrase","一次转十万提示超过限额怎么办"),("account.transfer-limit","short","转账限额"),("account.transfer-limit","long","我要给装修公司付一笔二十万的款，用手机银行转的时候一直提示超出限额，转不出去，请问每天最多能转多少，能不能调高"),
# account.transfer-fail
("account.transfer-fail","paraphrase","钱已经扣了但是对方说没收到"),("account.transfer-fail","colloquial","转的钱咋还没到"),("account.transfer-fail","typo","转帐没到账怎么办"),
# account.frozen
("account.frozen","paraphrase","卡突然不能用了说是被冻结"),("account.frozen","colloquial","我卡咋被冻了"),("account.frozen","long","今天去取钱的时候提示账户状态异常，打电话问说是被冻结了，我什么违法的事都没做过，工资也在这张卡里，现在急着用钱怎么办"),
# account.statement
("account.statement","paraphrase","办签证要一份银行流水怎么开"),("account.statement","short","流水"),("account.statement","mixed","怎么打印bank statement"),
# account.close
("account.close","paraphrase","不用的储蓄卡想注销掉"),("account.close","colloquial","这张借记卡不要了咋办"),("account.close","short","储蓄卡销户"),
# account.change-phone
("account.change-phone","paraphrase","银行卡绑的手机号换了要怎么改"),("account.change-phone","colloquial","手机号码换了收不到验证码"),("account.change-phone","long","我之前在银行留的是老家的手机号，现在那个号已经停机了，手机银行登录要验证码收不到，想改成现在用的号码，需要去哪里办"),
# account.deposit-rate
("account.deposit-rate","paraphrase","存三年定期利息多少"),("account.deposit-rate","short","存款利率"),("account.deposit-rate","mixed","定期存款interest rate多少"),
# app.login
("app.login","paraphrase","app一直提示登录失败"),("app.login","colloquial","手机银行咋进不去了"),("app.login","typo","手机银行灯录不上"),
# app.register
("app.register","paraphrase","第一次用手机银行要怎么注册"),("app.register","mixed","你们的app在哪下载"),("app.register","short","开通手机银行"),
# app.face
("app.face","paraphrase","刷脸一直不成功"),("app.face","colloquial","人脸认证老是过不去咋办"),("app.face","mixed","face ID验证一直失败"),
# service.branch
("service.branch","paraphrase","离我最近的营业厅在哪"),("service.branch","colloquial","你们网点几点关门"),("service.branch","short","网点"),
# service.human
("service.human","short","人工"),("service.human","colloquial","别让机器人回了我要找真人"),("service.human","mixed","转human客服"),
# credit.report
("credit.report","paraphrase","用信用卡会不会留下信用记录"),("credit.report","mixed","信用卡影不影响credit score"),("credit.report","short","征信"),
# fee.sms
("fee.sms","paraphrase","储蓄卡每月扣的短信费能不扣吗"),("fee.sms","colloquial","每个月扣我两块钱是啥"),("fee.sms","long","我查了一下储蓄卡的明细，发现每个月都被扣了两块钱，写着短信服务费，我平时也不看这些短信，可以不要这个服务吗"),
# loan.cash
("loan.cash","paraphrase","最近资金周转不开能在你们这借点钱吗"),("loan.cash","colloquial","能贷点款不"),("loan.cash","mixed","有没有personal loan"),
# near-miss: share words with an entry but ask something it does not answer
(None,"near-miss","激活信用卡有什么礼品送"),
(None,"near-miss","附属卡可以单独出账单吗"),
(None,"near-miss","年费可以开发票吗"),
(None,"near-miss","积分可以转给别人吗"),
(None,"near-miss","转账可以撤回吗"),
(None,"near-miss","定期存款可以提前取出来吗"),
(None,"near-miss","分期期间可以申请提额吗"),
(None,"near-miss","人脸识别的照片会被保存吗"),
(None,"near-miss","信用卡取现可以用微信吗"),
(None,"near-miss","自动还款可以用别的银行的卡吗"),
(None,"near-miss","挂失以后原来的自动还款还有效吗"),
(None,"near-miss","贵宾厅可以带家属一起进吗"),
(None,"near-miss","手机银行可以看股票行情吗"),
(None,"near-miss","信用卡账单可以寄纸质的到家里吗"),
(None,"near-miss","储蓄卡丢了怎么补办"),
(None,"near-miss","临时额度可以用来取现吗"),
(None,"near-miss","境外消费可以用人民币还款吗"),
(None,"near-miss","退款的钱可以直接退到储蓄卡吗"),
(None,"near-miss","客服电话可以投诉吗"),
(None,"near-miss","征信报告上的逾期记录能删掉吗"),
(None,"near-miss","附近的ATM可以存外币吗"),
(None,"near-miss","网点可以办理港币兑换吗"),
(None,"near-miss","信用卡可以给别人用吗"),
(None,"near-miss","销户以后积分还能用吗"),
(None,"near-miss","贷款可以提前还款吗"),
(None,"near-miss","卡片的颜色可以自己选吗"),
(None,"near-miss","转账给别人需要对方同意吗"),
(None,"near-miss","信用卡额度可以转到另一张卡上吗"),
# not in the knowledge base (in domain)
(None,"not-in-kb","你们有没有理财产品推荐"),
(None,"not-in-kb","外汇怎么买"),
(None,"not-in-kb","房贷利率现在是多少"),
(None,"not-in-kb","保险箱怎么租"),
(None,"not-in-kb","怎么买黄金"),
(None,"not-in-kb","公积金怎么提取"),
(None,"not-in-kb","对公账户怎么开"),
(None,"not-in-kb","支票怎么填写"),
(None,"not-in-kb","基金定投怎么设置"),
(None,"not-in-kb","社保卡怎么激活金融功能"),
(None,"not-in-kb","车贷可以办吗"),
(None,"not-in-kb","数字人民币钱包怎么开"),
(None,"not-in-kb","存款证明怎么开"),
(None,"not-in-kb","纪念币怎么预约"),
(None,"not-in-kb","国债什么时候发行"),
(None,"not-in-kb","工资代发业务怎么办"),
# chit-chat
(None,"chitchat","你好"),(None,"chitchat","在吗"),(None,"chitchat","谢谢你啊"),(None,"chitchat","你是机器人吗"),(None,"chitchat","好的知道了"),
(None,"chitchat","哈哈哈"),(None,"chitchat","早上好"),(None,"chitchat","你们辛苦了"),(None,"chitchat","嗯嗯"),(None,"chitchat","再见"),(None,"chitchat","OK thanks"),
# out of domain
(None,"out-of-domain","明天北京会下雨吗"),(None,"out-of-domain","推荐一家好吃的火锅店"),(None,"out-of-domain","怎么做红烧肉"),(None,"out-of-domain","帮我订一张去上海的机票"),
(None,"out-of-domain","最近有什么好看的电影"),(None,"out-of-domain","猫咪不吃东西怎么办"),(None,"out-of-domain","iPhone怎么截屏"),(None,"out-of-domain","给我讲个笑话"),
(None,"out-of-domain","高考志愿怎么填"),(None,"out-of-domain","这个快递怎么还没到"),(None,"out-of-domain","how to learn python"),(None,"out-of-domain","附近哪里可以洗车"),
]
