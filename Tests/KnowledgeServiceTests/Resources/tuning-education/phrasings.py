P = [
# course.trial
("course.trial","paraphrase","买课之前能先听一节吗"),("course.trial","colloquial","先让我试试课行不"),("course.trial","typo","有免费是听吗"),("course.trial","mixed","有free trial吗"),("course.trial","short","试听"),
# course.choose
("course.choose","paraphrase","我该报哪个课比较合适"),("course.choose","long","你好，我英语基础比较差，大学毕业以后就没怎么学过，现在想重新捡起来，你们课程那么多我也看不懂，该怎么选"),("course.choose","colloquial","课太多了挑花眼了"),
# course.schedule
("course.schedule","paraphrase","几点开始上课"),("course.schedule","short","课表"),("course.schedule","traditional","上課時間怎麼安排"),("course.schedule","mixed","class schedule在哪看"),
# course.replay
("course.replay","paraphrase","昨晚的直播没看到还能补看吗"),("course.replay","colloquial","直播没赶上咋办"),("course.replay","typo","直播课的回方在哪"),("course.replay","long","昨天晚上加班到十点，回家的时候直播课已经结束了，请问还能不能看到昨天讲的内容"),("course.replay","mixed","直播的replay在哪里"),
# course.validity
("course.validity","paraphrase","这个课买了以后一直能看吗"),("course.validity","colloquial","课会不会到期啊"),("course.validity","short","有效期"),("course.validity","traditional","課程有效期多久"),
# course.download
("course.download","paraphrase","视频能保存下来没网的时候看吗"),("course.download","mixed","可以download视频吗"),("course.download","colloquial","地铁上没网想看课咋整"),
# course.materials
("course.materials","paraphrase","老师上课用的PPT能给一份吗"),("course.materials","typo","将义在哪下载"),("course.materials","short","课件下载"),("course.materials","colloquial","上课资料去哪儿找啊"),
# course.switch-class
("course.switch-class","paraphrase","现在这个班时间不合适能调到晚上的班吗"),("course.switch-class","colloquial","想换个班咋弄"),("course.switch-class","long","我报的是周末上午的班，但是最近公司周末经常要加班，想问问能不能调到工作日晚上的班级"),
# course.pause
("course.pause","paraphrase","出差两个月课能先停一下吗"),("course.pause","colloquial","最近没空学想先停停"),("course.pause","short","休学"),
# teacher.change
("teacher.change","paraphrase","这个老师讲得我听不懂能不能换一个"),("teacher.change","colloquial","老师不太行想换人"),("teacher.change","traditional","可以換老師嗎"),
# teacher.qualification
("teacher.qualification","paraphrase","你们的老师都有资格证吗"),("teacher.qualification","colloquial","老师靠谱吗有没有证"),("teacher.qualification","mixed","老师有teacher证书吗"),
# teacher.ask
("teacher.ask","paraphrase","课上没听懂的下课了问谁"),("teacher.ask","colloquial","有不会的题找谁啊"),("teacher.ask","long","今天课上老师讲的语法有一部分我没听懂，下课以后想再问一下，请问有地方可以提问吗"),
# homework.submit
("homework.submit","paraphrase","写完的作业要怎么交给老师"),("homework.submit","typo","作页怎么提交"),("homework.submit","short","交作业"),("homework.submit","mixed","homework在哪里交"),
# homework.deadline
("homework.deadline","paraphrase","忘了交作业现在还能补吗"),("homework.deadline","colloquial","作业过期了还能交不"),("homework.deadline","long","这周出差一直在外面，作业截止日期是昨天，我今天才想起来，还有办法提交吗"),
# homework.grade
("homework.grade","paraphrase","老师给我作业打了多少分"),("homework.grade","colloquial","作业批完了没"),("homework.grade","short","作业成绩"),
# exam.mock
("exam.mock","paraphrase","考试前有没有练手的模拟题"),("exam.mock","short","模拟考"),("exam.mock","mixed","有mock exam吗"),
# cert.get
("cert.get","paraphrase","学完了会给证书吗"),("cert.get","colloquial","学完能拿个证不"),("cert.get","typo","结业证书怎么零"),("cert.get","traditional","結課後有證書嗎"),
# cert.paper
("cert.paper","paraphrase","电子证书能不能换成纸的寄过来"),("cert.paper","colloquial","证书能寄到家里不"),
# pay.methods
("pay.methods","paraphrase","能用支付宝买课吗"),("pay.methods","mixed","支持apple pay吗"),("pay.methods","short","付款方式"),("pay.methods","colloquial","微信能付不"),
# pay.installment
("pay.installment","paraphrase","学费太贵了能不能分几个月付"),("pay.installment","colloquial","能分期不"),("pay.installment","typo","学费可以分其吗"),("pay.installment","long","你们这个课程要四千多，我一下子拿不出这么多钱，想问下有没有办法按月付，有没有利息"),
# pay.failed
("pay.failed","paraphrase","付款一直不成功"),("pay.failed","colloquial","钱付不进去咋回事"),("pay.failed","mixed","payment失败了"),
# refund.policy
("refund.policy","paraphrase","上了两节课不想上了钱能退吗"),("refund.policy","colloquial","不学了能退钱不"),("refund.policy","short","退费规则"),("refund.policy","traditional","課程可以退費嗎"),("refund.policy","long","孩子上了几节课说不喜欢，死活不肯再上了，我们也不想勉强他，这种情况学费能退吗"),
# refund.how
("refund.how","paraphrase","退费的申请入口在哪"),("refund.how","colloquial","退钱在哪里点"),("refund.how","mixed","refund怎么申请"),
# refund.time
("refund.time","paraphrase","申请退费之后多少天钱能回来"),("refund.time","colloquial","退的钱咋还没到"),("refund.time","typo","退费多久能到帐"),
# invoice.apply
("invoice.apply","paraphrase","买课的钱公司能报销要开票"),("invoice.apply","short","开发票"),("invoice.apply","mixed","需要invoice"),("invoice.apply","typo","怎么开发飘"),
# invoice.company
("invoice.company","paraphrase","发票抬头能写我们公司吗"),("invoice.company","colloquial","能开专票不"),("invoice.company","long","公司说学习费用可以报销，但是财务要求发票抬头必须是单位名称，还要有税号，你们能开吗"),
# account.register
("account.register","paraphrase","第一次用怎么建账号"),("account.register","mixed","怎么sign up"),("account.register","short","注册"),
# account.password
("account.password","paraphrase","登录密码不记得了"),("account.password","colloquial","密码忘了咋办"),("account.password","typo","忘记蜜码怎么办"),("account.password","traditional","忘記密碼怎麼辦"),
# account.multi-device
("account.multi-device","paraphrase","我和孩子能共用一个账号吗"),("account.multi-device","colloquial","平板和手机能一起登不"),("account.multi-device","long","家里有台电脑和一个平板，我自己手机也想看，一个账号能同时在这几个设备上登录吗"),
# account.phone
("account.phone","paraphrase","原来的手机号不用了怎么改"),("account.phone","colloquial","换号了账号咋办"),("account.phone","mixed","换绑phone number"),
# app.crash
("app.crash","paraphrase","软件一打开就退出来"),("app.crash","colloquial","app老是闪退烦死了"),("app.crash","short","闪退"),("app.crash","mixed","APP crash了"),
# app.video-lag
("app.video-lag","paraphrase","看视频的时候老是转圈"),("app.video-lag","colloquial","上课卡得要死"),("app.video-lag","typo","视频卡盾怎么办"),
# app.audio
("app.audio","paraphrase","进了直播间听不到声音"),("app.audio","colloquial","老师说话我这边没声"),("app.audio","long","今天晚上上直播课的时候画面是正常的，但是一点声音都没有，手机音量也开到最大了"),
# live.mic
("live.mic","paraphrase","上课的时候想回答问题怎么开麦"),("live.mic","colloquial","咋举手发言"),("live.mic","mixed","怎么开mic"),
# promo.coupon
("promo.coupon","paraphrase","我领的券下单时怎么用"),("promo.coupon","typo","优惠卷怎么用"),("promo.coupon","short","优惠码"),
# promo.group
("promo.group","paraphrase","和朋友一起买能便宜吗怎么拼"),("promo.group","colloquial","拼团咋玩"),("promo.group","short","拼团"),
# promo.referral
("promo.referral","paraphrase","拉朋友来报名我有什么奖励"),("promo.referral","colloquial","推荐人来学有钱拿吗"),
# service.contact
("service.contact","paraphrase","我要找真人客服"),("service.contact","short","人工"),("service.contact","mixed","转human"),
# service.complaint
("service.complaint","paraphrase","我对你们的服务很不满意要投诉"),("service.complaint","colloquial","我要投诉你们"),
# kids.age
("kids.age","paraphrase","我家孩子五岁能报少儿课吗"),("kids.age","colloquial","娃多大能学"),("kids.age","long","我女儿今年刚上幼儿园大班，听别的家长说你们的少儿英语不错，她这个年纪可以报吗"),
# kids.parent
("kids.parent","paraphrase","孩子上课的时候家长能在旁边看吗"),("kids.parent","colloquial","家长能跟着听课不"),
# study.report
("study.report","paraphrase","这个月我学了多长时间在哪看"),("study.report","short","学习报告"),("study.report","colloquial","我学到哪了咋查"),
# near-miss (shares words with an entry, asks something the knowledge base does not answer)
(None,"near-miss","证书丢了可以补办吗"),(None,"near-miss","回放可以倍速播放吗"),(None,"near-miss","发票开错了能重开吗"),
(None,"near-miss","优惠券过期了还能用吗"),(None,"near-miss","直播课一个班最多多少人"),(None,"near-miss","课程可以转送给别人吗"),
(None,"near-miss","老师的工资怎么算"),(None,"near-miss","怎么应聘成为你们的老师"),(None,"near-miss","模拟考试要另外收费吗"),
(None,"near-miss","孩子上课要买教材吗"),(None,"near-miss","邀请好友的奖学金能提现吗"),(None,"near-miss","作业可以让别人代写吗"),
(None,"near-miss","拼团没成功钱会退吗"),(None,"near-miss","App支持电视投屏吗"),(None,"near-miss","密码最少要几位"),
# not in the knowledge base
(None,"not-in-kb","你们有线下校区吗"),(None,"not-in-kb","可以开发票给个人吗是纸质的吗"),(None,"not-in-kb","课程内容会更新吗"),
(None,"not-in-kb","有没有雅思保分班"),(None,"not-in-kb","学生证能打折吗"),(None,"not-in-kb","你们公司在哪个城市"),
(None,"not-in-kb","可以提供学习签证吗"),(None,"not-in-kb","老师是外教还是中教"),(None,"not-in-kb","能开一对一的体验课吗多少钱一节"),
# chit-chat
(None,"chitchat","你好"),(None,"chitchat","在吗"),(None,"chitchat","谢谢你啊"),(None,"chitchat","你是真人还是机器人"),
(None,"chitchat","哈哈哈"),(None,"chitchat","好的知道了"),(None,"chitchat","早上好"),
# out of domain
(None,"out-of-domain","明天会下雨吗"),(None,"out-of-domain","帮我订一张去上海的机票"),(None,"out-of-domain","手机话费怎么充值"),
(None,"out-of-domain","附近有什么好吃的"),(None,"out-of-domain","股票明天会涨吗"),(None,"out-of-domain","快递到哪了"),
(None,"out-of-domain","信用卡额度怎么提高"),(None,"out-of-domain","推荐一部好看的电影"),
]
