<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>Answer</name>
        <message>
            <source>Result</source>
            <translation>办理结果</translation>
        </message>
        <message>
            <source>Stop waiting</source>
            <translation>不再等待</translation>
        </message>
        <message>
            <source>Ask again</source>
            <translation>重新查询</translation>
        </message>
        <message>
            <source>Print this answer</source>
            <translation>打印查询结果</translation>
        </message>
        <message>
            <source>Print again</source>
            <translation>重新打印</translation>
        </message>
        <message>
            <source>Something else</source>
            <translation>办理其他事项</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>办理完毕</translation>
        </message>
        <message>
            <source>Verification code: {0}</source>
            <translation>验证码：{0}</translation>
        </message>
        <message>
            <source>{0} page(s), issued {1}. The code on every page lets anyone check that the certificate is genuine.</source>
            <translation>共{0}页，开具时间{1}。每页上的验证码可用于核验证明的真伪。</translation>
        </message>
        <message>
            <source>Asking the department, please wait. It usually takes a few seconds.</source>
            <translation>正在向业务部门查询，请稍候，通常只需几秒钟。</translation>
        </message>
        <message>
            <source>You stopped waiting. You can ask again.</source>
            <translation>您已停止等待，可以重新查询。</translation>
        </message>
        <message>
            <source>Your certificate is ready. It comes out of the A4 printer:</source>
            <translation>证明已开具，由A4打印机打印：</translation>
        </message>
        <message>
            <source>Here is what the department's records show:</source>
            <translation>业务部门的记录如下：</translation>
        </message>
    </context>
    <context>
        <name>Appointment</name>
        <message>
            <source>Mon</source>
            <translation>周一</translation>
        </message>
        <message>
            <source>Tue</source>
            <translation>周二</translation>
        </message>
        <message>
            <source>Wed</source>
            <translation>周三</translation>
        </message>
        <message>
            <source>Thu</source>
            <translation>周四</translation>
        </message>
        <message>
            <source>Fri</source>
            <translation>周五</translation>
        </message>
        <message>
            <source>Sat</source>
            <translation>周六</translation>
        </message>
        <message>
            <source>Sun</source>
            <translation>周日</translation>
        </message>
        <message>
            <source>Book a window appointment</source>
            <translation>预约窗口办理</translation>
        </message>
        <message>
            <source>Appointment at: {0}</source>
            <translation>预约部门：{0}</translation>
        </message>
        <message>
            <source>{0} places left</source>
            <translation>剩余{0}个名额</translation>
        </message>
        <message>
            <source>Fully booked</source>
            <translation>已约满</translation>
        </message>
        <message>
            <source>Name: {0}</source>
            <translation>姓名：{0}</translation>
        </message>
        <message>
            <source>ID number: {0}</source>
            <translation>证件号码：{0}</translation>
        </message>
        <message>
            <source>No times can be booked at the moment. Please call the hotline.</source>
            <translation>目前没有可预约的时段，请拨打咨询电话。</translation>
        </message>
        <message>
            <source>Choose a day, then a time. Book at least one day ahead; one booking per person per day. Bring your ID card.</source>
            <translation>请先选日期，再选时段。需至少提前一天预约，每人每天限约一次。办理时请携带身份证。</translation>
        </message>
        <message>
            <source>Appointment booked</source>
            <translation>预约成功</translation>
        </message>
        <message>
            <source>Appointment number</source>
            <translation>预约编号</translation>
        </message>
        <message>
            <source>Show this code at the hall</source>
            <translation>到大厅时出示此码</translation>
        </message>
        <message>
            <source>Something else</source>
            <translation>办理其他事项</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>完成</translation>
        </message>
        <message>
            <source>Your appointment is booked.</source>
            <translation>您已预约成功。</translation>
        </message>
        <message>
            <source>Time: {0}</source>
            <translation>预约时段：{0}</translation>
        </message>
        <message>
            <source>Department: {0}</source>
            <translation>办理部门：{0}</translation>
        </message>
        <message>
            <source>Arrive on time and exchange the slip for a priority number at the hall.</source>
            <translation>请按时到达，凭预约凭证在大厅换取优先号。</translation>
        </message>
        <message>
            <source>Cannot come? Cancel at this kiosk at least 2 hours before: identify, then "Cancel an appointment".</source>
            <translation>如不能前来，请至少提前2小时在本机取消：核验身份后点“取消预约”。</translation>
        </message>
    </context>
    <context>
        <name>Attract</name>
        <message>
            <source>24-hour self-service</source>
            <translation>24小时自助服务</translation>
        </message>
        <message>
            <source>Tap here to start</source>
            <translation>点击此处开始办理</translation>
        </message>
        <message>
            <source>or place your ID card or social security card on the reader</source>
            <translation>或将身份证、社保卡放在读卡区</translation>
        </message>
        <message>
            <source>Take a queue number</source>
            <translation>取号</translation>
        </message>
        <message>
            <source>Could not get it done? Tell us</source>
            <translation>办不成事？请告诉我们</translation>
        </message>
        <message>
            <source>Check progress</source>
            <translation>办件进度查询</translation>
        </message>
        <message>
            <source>Elderly mode: larger text</source>
            <translation>长辈模式（大字体）</translation>
        </message>
        <message>
            <source>Help hotline: {0}</source>
            <translation>咨询电话：{0}</translation>
        </message>
        <message>
            <source>Queue numbers are issued while the hall is open.</source>
            <translation>大厅办公时间内才能取号。</translation>
        </message>
    </context>
    <context>
        <name>Bookings</name>
        <message>
            <source>Cancel an appointment</source>
            <translation>取消预约</translation>
        </message>
        <message>
            <source>Cancel this appointment</source>
            <translation>取消这个预约</translation>
        </message>
        <message>
            <source>Bookings made at this kiosk can be cancelled here until 2 hours before. For others, call {0}.</source>
            <translation>在本机办理的预约，可在预约时间2小时前在此取消；其他预约请致电{0}。</translation>
        </message>
        <message>
            <source>Which appointment do you want to cancel?</source>
            <translation>您要取消哪个预约？</translation>
        </message>
        <message>
            <source>You have no appointments booked at this kiosk.</source>
            <translation>您在本机没有预约。</translation>
        </message>
        <message>
            <source>Appointment cancelled</source>
            <translation>预约已取消</translation>
        </message>
        <message>
            <source>Your appointment is cancelled. The hall has been told.</source>
            <translation>您的预约已取消，已通知政务服务中心。</translation>
        </message>
    </context>
    <context>
        <name>Capture</name>
        <message>
            <source>Photograph your materials</source>
            <translation>拍照提交材料</translation>
        </message>
        <message>
            <source>Retake the last page</source>
            <translation>重拍上一页</translation>
        </message>
        <message>
            <source>Bring it to the window</source>
            <translation>这一项到窗口补交</translation>
        </message>
        <message>
            <source>Next material ▶</source>
            <translation>下一项材料 ▶</translation>
        </message>
        <message>
            <source>Send the application</source>
            <translation>拍好了，提交申请</translation>
        </message>
        <message>
            <source>Material found: hold still and take the photo.</source>
            <translation>已找到材料：请保持不动，然后拍照。</translation>
        </message>
        <message>
            <source>Lay the material flat in the lit area, all four corners in view.</source>
            <translation>请把材料平放在灯光照亮的区域，四个角都要露出来。</translation>
        </message>
        <message>
            <source>Taking the photo, please do not move the material…</source>
            <translation>正在拍照，请不要移动材料…</translation>
        </message>
        <message>
            <source>Material {0} of {1}: {2}</source>
            <translation>第{0}项（共{1}项）：{2}</translation>
        </message>
        <message>
            <source>Pages taken of this material: {0}</source>
            <translation>这一项已拍：{0}页</translation>
        </message>
        <message>
            <source>Lay the first page flat under the camera, then tap “Take photo”.</source>
            <translation>请把第一页平放在摄像头下方，然后点“拍照”。</translation>
        </message>
        <message>
            <source>Take photo</source>
            <translation>拍照</translation>
        </message>
        <message>
            <source>Add a page</source>
            <translation>再拍一页</translation>
        </message>
        <message>
            <source>Starting the camera…</source>
            <translation>正在打开摄像头…</translation>
        </message>
        <message>
            <source>Photographed {0} · to the window {1} · to do {2}</source>
            <translation>已拍照{0}项 · 到窗口补交{1}项 · 还剩{2}项</translation>
        </message>
    </context>
    <context>
        <name>Choose</name>
        <message>
            <source>What would you like to do?</source>
            <translation>请选择办理事项</translation>
        </message>
        <message>
            <source>Book a window appointment</source>
            <translation>预约窗口办理</translation>
        </message>
        <message>
            <source>◀ Back to the services</source>
            <translation>◀ 返回事项列表</translation>
        </message>
        <message>
            <source>Cancel an appointment</source>
            <translation>取消预约</translation>
        </message>
        <message>
            <source>Take a queue number</source>
            <translation>取号</translation>
        </message>
        <message>
            <source>Could not get it done? Tell us</source>
            <translation>办不成事？请告诉我们</translation>
        </message>
        <message>
            <source>One-thing bundles</source>
            <translation>高效办成一件事</translation>
        </message>
        <message>
            <source>Appointments and more</source>
            <translation>预约、取号、反映问题</translation>
        </message>
        <message>
            <source>Hello, {0}. What would you like to do?</source>
            <translation>{0}，您好！请选择要办理的事项</translation>
        </message>
        <message>
            <source>Hello. What would you like to do?</source>
            <translation>您好！请选择要办理的事项</translation>
        </message>
        <message>
            <source>The connection to the service center is down. Services marked as needing it cannot be done now; everything else is saved here and sent later.</source>
            <translation>与政务服务中心的网络连接中断：标注需联网的事项暂不能办理，其他申请将保存在本机，恢复后自动提交。</translation>
        </message>
        <message>
            <source>Book an appointment: which department?</source>
            <translation>预约办理：请选择部门</translation>
        </message>
    </context>
    <context>
        <name>Devices</name>
        <message>
            <source>The printer is not working right now.</source>
            <translation>打印机暂时无法使用。</translation>
        </message>
        <message>
            <source>The printer has run out of paper.</source>
            <translation>打印机缺纸。</translation>
        </message>
        <message>
            <source>The printer cover is open.</source>
            <translation>打印机上盖未关好。</translation>
        </message>
        <message>
            <source>Your application is saved. Please photograph the QR code or write down the reference number {0}. You can collect a printed receipt at the service window with this number.</source>
            <translation>您的申请已保存。请拍下二维码或记下受理编号 {0}，凭此编号可到服务窗口领取纸质回执。</translation>
        </message>
        <message>
            <source>The card reader is not working right now. Please type your ID number instead.</source>
            <translation>读卡器暂时无法使用，请直接输入身份证号码。</translation>
        </message>
        <message>
            <source>The ticket printer is not working right now. Your number is shown on the screen: please photograph it or write it down.</source>
            <translation>取号机暂时无法出票。您的号码显示在屏幕上，请拍照或记下。</translation>
        </message>
        <message>
            <source>A device is not working right now.</source>
            <translation>设备暂时无法使用。</translation>
        </message>
        <message>
            <source>The camera is not working right now. The pages already taken are kept; please bring the other materials to the service window.</source>
            <translation>拍照设备暂时不能使用。已拍的照片会保留，其余材料请带到窗口递交。</translation>
        </message>
        <message>
            <source>Please photograph the QR code or write down the appointment number {0}: it is your slip.</source>
            <translation>请拍下二维码或记下预约编号 {0}，可作为预约凭证。</translation>
        </message>
        <message>
            <source>The notice stays on the screen. You can also get a printed copy at the service window.</source>
            <translation>告知内容会保留在屏幕上，也可到服务窗口领取纸质告知单。</translation>
        </message>
        <message>
            <source>Printing, please wait…</source>
            <translation>正在打印，请稍候…</translation>
        </message>
        <message>
            <source>Printed. Please take it from the slot below the screen.</source>
            <translation>已打印，请从屏幕下方出纸口取走。</translation>
        </message>
        <message>
            <source>The printer could not print.</source>
            <translation>打印机未能打印。</translation>
        </message>
        <message>
            <source>The card could not be read. Place it flat on the reader again, or type your ID number.</source>
            <translation>未能读取证件，请将证件平放在读卡区重试，或输入身份证号码。</translation>
        </message>
    </context>
    <context>
        <name>Farewell</name>
        <message>
            <source>Please take your card</source>
            <translation>请取走您的证件</translation>
        </message>
        <message>
            <source>Your ID card is still on the reader below the screen.</source>
            <translation>您的证件还在屏幕下方的读卡区。</translation>
        </message>
        <message>
            <source>Do not forget your receipt and your belongings.</source>
            <translation>请带好回执和随身物品。</translation>
        </message>
        <message>
            <source>Thank you, goodbye</source>
            <translation>感谢使用，再见</translation>
        </message>
        <message>
            <source>Your details are no longer on the screen. What you sent is kept safely on this kiosk until the service center has received it.</source>
            <translation>您的信息已从屏幕上清除。已提交的内容妥善保存在本机，直到政务服务中心收到为止。</translation>
        </message>
        <message>
            <source>Help hotline: {0}</source>
            <translation>咨询电话：{0}</translation>
        </message>
        <message>
            <source>Under maintenance</source>
            <translation>维护中</translation>
        </message>
        <message>
            <source>This kiosk is being serviced. Please use another kiosk or call {0}.</source>
            <translation>本机正在维护，请使用其他自助终端，或拨打 {0} 咨询。</translation>
        </message>
        <message>
            <source>Out of service</source>
            <translation>暂停服务</translation>
        </message>
        <message>
            <source>This kiosk's storage is nearly full, so it cannot take applications right now. Please use another kiosk.</source>
            <translation>本机存储空间即将用满，暂时无法受理申请，请使用其他自助终端。</translation>
        </message>
        <message>
            <source>This kiosk cannot take applications right now. Please use another kiosk.</source>
            <translation>本机暂时无法受理申请，请使用其他自助终端。</translation>
        </message>
    </context>
    <context>
        <name>Form</name>
        <message>
            <source>From your card</source>
            <translation>读自证件</translation>
        </message>
        <message>
            <source>From the ID number you typed</source>
            <translation>由您输入的身份证号码得出</translation>
        </message>
        <message>
            <source>Application form: {0}</source>
            <translation>申请表：{0}</translation>
        </message>
        <message>
            <source>◀ Previous field</source>
            <translation>◀ 上一项</translation>
        </message>
        <message>
            <source>Next field ▶</source>
            <translation>下一项 ▶</translation>
        </message>
        <message>
            <source>One form for everything; * marks what is required. Tap a field above to fill it in.</source>
            <translation>一表申请，带 * 为必填项。点击上方项目即可填写。</translation>
        </message>
        <message>
            <source>One form for everything; * marks what is required. Tap a field on the left.</source>
            <translation>一表申请，带 * 为必填项。点击左侧项目即可填写。</translation>
        </message>
        <message>
            <source>Check and continue</source>
            <translation>检查并继续</translation>
        </message>
        <message>
            <source>This comes from your identity and cannot be changed here. To change it, go back.</source>
            <translation>此项来自您的身份信息，这里不能修改。如需修改，请返回上一步。</translation>
        </message>
    </context>
    <context>
        <name>Handwriting</name>
        <message>
            <source>Write again</source>
            <translation>重写</translation>
        </message>
        <message>
            <source>Pinyin keys</source>
            <translation>拼音键盘</translation>
        </message>
    </context>
    <context>
        <name>Identify</name>
        <message>
            <source>Identify yourself</source>
            <translation>身份核验</translation>
        </message>
        <message>
            <source>Please identify yourself: tap your card, or type your ID number</source>
            <translation>请核验身份：刷证件，或输入身份证号码</translation>
        </message>
        <message>
            <source>Please type your ID number: the card reader cannot be used</source>
            <translation>读卡器暂不可用，请直接输入身份证号码</translation>
        </message>
        <message>
            <source>Tap your card</source>
            <translation>刷证件</translation>
        </message>
        <message>
            <source>Place your resident ID card flat on the reader below the screen and leave it there until your name appears. A social security card works too.</source>
            <translation>请将居民身份证平放在屏幕下方的读卡区，显示姓名前不要移开。也可使用社保卡。</translation>
        </message>
        <message>
            <source>Or type your 18-character ID number</source>
            <translation>或输入18位身份证号码</translation>
        </message>
        <message>
            <source>Type your 18-character ID number</source>
            <translation>请输入18位身份证号码</translation>
        </message>
        <message>
            <source>Confirm ID number</source>
            <translation>确认身份证号码</translation>
        </message>
        <message>
            <source>Or show your phone's sign-in code to the scanner.</source>
            <translation>或把手机上的“扫码登录”码对准扫描口。</translation>
        </message>
        <message>
            <source>The card reader is ready.</source>
            <translation>读卡器已就绪。</translation>
        </message>
        <message>
            <source>Card reader: off</source>
            <translation>读卡器：不可用</translation>
        </message>
        <message>
            <source>{0} of 18 characters typed</source>
            <translation>已输入 {0}/18 位</translation>
        </message>
    </context>
    <context>
        <name>Idle</name>
        <message>
            <source>Are you still there?</source>
            <translation>您还在吗？</translation>
        </message>
        <message>
            <source>For your privacy, everything you entered will be cleared when the time runs out.</source>
            <translation>为保护您的隐私，倒计时结束后将清除您填写的所有信息。</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation>继续办理</translation>
        </message>
        <message>
            <source>{0} s</source>
            <translation>{0}秒</translation>
        </message>
    </context>
    <context>
        <name>Keypad</name>
        <message>
            <source>Clear</source>
            <translation>清空</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Space</source>
            <translation>空格</translation>
        </message>
        <message>
            <source>Write</source>
            <translation>手写</translation>
        </message>
    </context>
    <context>
        <name>Maintenance</name>
        <message>
            <source>Kiosk</source>
            <translation>终端</translation>
        </message>
        <message>
            <source>The kiosk's storage cannot be read.</source>
            <translation>无法读取终端存储。</translation>
        </message>
        <message>
            <source>Testing…</source>
            <translation>正在自检…</translation>
        </message>
        <message>
            <source>Self-test passed.</source>
            <translation>自检通过。</translation>
        </message>
        <message>
            <source>Self-test failed: {0}</source>
            <translation>自检未通过：{0}</translation>
        </message>
        <message>
            <source>Could not save: the kiosk's storage failed.</source>
            <translation>无法保存：终端存储故障。</translation>
        </message>
        <message>
            <source>Counter reset ({0} printed on the old roll).</source>
            <translation>计数已清零（旧纸卷共打印 {0} 张）。</translation>
        </message>
        <message>
            <source>Answer every item, with a note for each problem, and type who inspected.</source>
            <translation>请逐项填写，有问题的项目须填写说明，并输入巡检人。</translation>
        </message>
        <message>
            <source>Inspection saved. It is sent to the hall as soon as the link allows.</source>
            <translation>巡检结果已保存，网络连通后即上报大厅。</translation>
        </message>
        <message>
            <source>A card was read: the card reader works.</source>
            <translation>已读到证件：读卡器工作正常。</translation>
        </message>
        <message>
            <source>A card could not be read.</source>
            <translation>读卡失败。</translation>
        </message>
        <message>
            <source>Check each item at the kiosk. A failed item needs a note of what you found.</source>
            <translation>请在终端旁逐项检查。有问题的项目须填写发现的情况。</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>正常</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>有问题</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>说明</translation>
        </message>
        <message>
            <source>Type name</source>
            <translation>输入姓名</translation>
        </message>
        <message>
            <source>Send the inspection to the hall</source>
            <translation>上报巡检结果</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>完成</translation>
        </message>
        <message>
            <source>Inspected by: {0}</source>
            <translation>巡检人：{0}</translation>
        </message>
        <message>
            <source>Items still to answer (or to note): {0}</source>
            <translation>尚未填写（或缺少说明）的项目：{0}</translation>
        </message>
        <message>
            <source>Type who inspected, then send.</source>
            <translation>请输入巡检人后上报。</translation>
        </message>
        <message>
            <source>Ready to send.</source>
            <translation>可以上报。</translation>
        </message>
        <message>
            <source>Who inspected (name or staff number)</source>
            <translation>巡检人（姓名拼音或工号）</translation>
        </message>
        <message>
            <source>Note for: {0}</source>
            <translation>情况说明：{0}</translation>
        </message>
        <message>
            <source>Technician access</source>
            <translation>维护人员登录</translation>
        </message>
        <message>
            <source>Enter the maintenance PIN</source>
            <translation>请输入维护密码</translation>
        </message>
        <message>
            <source>For technicians only. Citizens: please tap Cancel to return to the start screen.</source>
            <translation>仅限维护人员使用。办事群众请点“取消”返回首页。</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Enter</source>
            <translation>确认</translation>
        </message>
        <message>
            <source>Wrong PIN. {0} tries left before the lock.</source>
            <translation>密码错误，还可尝试 {0} 次，之后将锁定。</translation>
        </message>
        <message>
            <source>Too many wrong PINs. Try again in {0} min.</source>
            <translation>密码错误次数过多，请 {0} 分钟后再试。</translation>
        </message>
        <message>
            <source>Receipt printer</source>
            <translation>凭条打印机</translation>
        </message>
        <message>
            <source>ID card reader</source>
            <translation>身份证阅读器</translation>
        </message>
        <message>
            <source>Social security card reader</source>
            <translation>社保卡读卡器</translation>
        </message>
        <message>
            <source>Queue ticket dispenser</source>
            <translation>取号机</translation>
        </message>
        <message>
            <source>QR code scanner</source>
            <translation>扫码器</translation>
        </message>
        <message>
            <source>Document camera</source>
            <translation>高拍仪</translation>
        </message>
        <message>
            <source>A4 certificate printer</source>
            <translation>A4 证明打印机</translation>
        </message>
        <message>
            <source>Accessibility keypad</source>
            <translation>无障碍导航键盘</translation>
        </message>
        <message>
            <source>No report yet</source>
            <translation>暂无状态</translation>
        </message>
        <message>
            <source>Working</source>
            <translation>正常</translation>
        </message>
        <message>
            <source>Needs attention</source>
            <translation>需关注</translation>
        </message>
        <message>
            <source>Fault</source>
            <translation>故障</translation>
        </message>
        <message>
            <source>Not connected</source>
            <translation>未连接</translation>
        </message>
        <message>
            <source>Not installed</source>
            <translation>未启用</translation>
        </message>
        <message>
            <source>Self-test</source>
            <translation>自检</translation>
        </message>
        <message>
            <source>Remove sample card</source>
            <translation>取出样卡</translation>
        </message>
        <message>
            <source>Insert sample card</source>
            <translation>放入样卡</translation>
        </message>
        <message>
            <source>Maintenance</source>
            <translation>设备维护</translation>
        </message>
        <message>
            <source>Devices</source>
            <translation>设备状态</translation>
        </message>
        <message>
            <source>Paper and tickets</source>
            <translation>纸张与票卷</translation>
        </message>
        <message>
            <source>Daily inspection</source>
            <translation>日常巡检</translation>
        </message>
        <message>
            <source>Leave maintenance</source>
            <translation>退出维护</translation>
        </message>
        <message>
            <source>Receipts and notices printed since the paper was replaced</source>
            <translation>更换纸卷以来已打印的回执和告知单</translation>
        </message>
        <message>
            <source>Queue tickets printed since the ticket roll was replaced</source>
            <translation>更换票卷以来已出号票数</translation>
        </message>
        <message>
            <source>New roll put in: reset the counter</source>
            <translation>已换新纸卷：计数清零</translation>
        </message>
        <message>
            <source>Open faults:</source>
            <translation>当前故障：</translation>
        </message>
        <message>
            <source>No open faults.</source>
            <translation>当前无故障。</translation>
        </message>
        <message>
            <source>Records waiting to be sent to the hall: {0}</source>
            <translation>待上报大厅的记录：{0} 条</translation>
        </message>
        <message>
            <source>Counting since {0}</source>
            <translation>自 {0} 起计数</translation>
        </message>
        <message>
            <source>Nothing printed since the counter started.</source>
            <translation>计数开始以来尚未打印。</translation>
        </message>
    </context>
    <context>
        <name>Notice</name>
        <message>
            <source>One-time notice</source>
            <translation>一次性告知</translation>
        </message>
        <message>
            <source>Print this notice</source>
            <translation>打印告知单</translation>
        </message>
        <message>
            <source>I have read it: fill in the form</source>
            <translation>我已阅读，填写申请表</translation>
        </message>
        <message>
            <source>Materials to prepare:</source>
            <translation>需要准备的材料：</translation>
        </message>
        <message>
            <source>Who can apply:</source>
            <translation>受理条件：</translation>
        </message>
        <message>
            <source>Time limit:</source>
            <translation>办结时限：</translation>
        </message>
        <message>
            <source>Fee:</source>
            <translation>收费标准：</translation>
        </message>
        <message>
            <source>Result:</source>
            <translation>办理结果：</translation>
        </message>
        <message>
            <source>Legal basis:</source>
            <translation>设定依据：</translation>
        </message>
    </context>
    <context>
        <name>Online</name>
        <message>
            <source>Checking your phone code, please wait…</source>
            <translation>正在核验手机码，请稍候……</translation>
        </message>
    </context>
    <context>
        <name>Pager</name>
        <message>
            <source>▲ Page up</source>
            <translation>▲ 上一页</translation>
        </message>
        <message>
            <source>▼ Page down</source>
            <translation>▼ 下一页</translation>
        </message>
    </context>
    <context>
        <name>Progress</name>
        <message>
            <source>Application progress</source>
            <translation>办件进度查询</translation>
        </message>
        <message>
            <source>Hold the QR code of your receipt under the scanner, or type the reference number printed on the receipt.</source>
            <translation>请把回执上的二维码对准扫描口，或输入回执上印的受理编号。</translation>
        </message>
        <message>
            <source>Look it up</source>
            <translation>查询</translation>
        </message>
        <message>
            <source>Stop waiting</source>
            <translation>不再等待</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>办理完毕</translation>
        </message>
        <message>
            <source>Reference number: {0}</source>
            <translation>受理编号：{0}</translation>
        </message>
        <message>
            <source>Application {0}</source>
            <translation>受理编号 {0}</translation>
        </message>
        <message>
            <source>Looking it up, please wait…</source>
            <translation>正在查询，请稍候……</translation>
        </message>
        <message>
            <source>You stopped waiting. You can look it up again.</source>
            <translation>您已停止等待，可以重新查询。</translation>
        </message>
        <message>
            <source>Since {0}</source>
            <translation>更新日期：{0}</translation>
        </message>
        <message>
            <source>Note from the service center: {0}</source>
            <translation>政务服务中心留言：{0}</translation>
        </message>
    </context>
    <context>
        <name>Rate</name>
        <message>
            <source>Rate this service</source>
            <translation>服务评价</translation>
        </message>
        <message>
            <source>How satisfied are you with this service?</source>
            <translation>您对本次服务满意吗？</translation>
        </message>
        <message>
            <source>What went wrong? Choose one or more:</source>
            <translation>哪里不满意？可多选：</translation>
        </message>
        <message>
            <source>Skip</source>
            <translation>跳过</translation>
        </message>
        <message>
            <source>Send my rating</source>
            <translation>提交评价</translation>
        </message>
    </context>
    <context>
        <name>Report</name>
        <message>
            <source>Could not get it done?</source>
            <translation>办不成事反映</translation>
        </message>
        <message>
            <source>Tell us what kept you from getting it done. The hall will follow up.</source>
            <translation>请告诉我们是什么原因办不成，政务服务中心会跟进处理。</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>提交</translation>
        </message>
        <message>
            <source>Call-back phone</source>
            <translation>回访电话</translation>
        </message>
        <message>
            <source>A few words</source>
            <translation>简要描述</translation>
        </message>
        <message>
            <source>Phone (optional): {0}</source>
            <translation>联系电话（选填）：{0}</translation>
        </message>
        <message>
            <source>Description (pinyin or English): {0}</source>
            <translation>问题描述（拼音或英文）：{0}</translation>
        </message>
        <message>
            <source>Thank you</source>
            <translation>感谢您的反映</translation>
        </message>
        <message>
            <source>Report number</source>
            <translation>反映编号</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>完成</translation>
        </message>
        <message>
            <source>Thank you. Your report has been recorded.</source>
            <translation>感谢您的反映，已记录。</translation>
        </message>
        <message>
            <source>The service center will look into it. If you left a phone number, they will call you back. Help hotline: {0}</source>
            <translation>政务服务中心将跟进处理，如留有电话会回访您。咨询电话：{0}</translation>
        </message>
    </context>
    <context>
        <name>Review</name>
        <message>
            <source>Check your application</source>
            <translation>核对申请信息</translation>
        </message>
        <message>
            <source>Please check everything before sending.</source>
            <translation>提交前请仔细核对以下信息。</translation>
        </message>
        <message>
            <source>Change something</source>
            <translation>返回修改</translation>
        </message>
        <message>
            <source>Everything is right: send</source>
            <translation>信息无误，提交申请</translation>
        </message>
        <message>
            <source>Everything is right: photograph the materials</source>
            <translation>确认无误，下一步：拍照提交材料</translation>
        </message>
        <message>
            <source>Hide {0}</source>
            <translation>隐藏{0}</translation>
        </message>
        <message>
            <source>Show {0}</source>
            <translation>显示{0}</translation>
        </message>
    </context>
    <context>
        <name>Steps</name>
        <message>
            <source>ID</source>
            <translation>证件</translation>
        </message>
        <message>
            <source>Service</source>
            <translation>事项</translation>
        </message>
        <message>
            <source>Notice</source>
            <translation>告知</translation>
        </message>
        <message>
            <source>Form</source>
            <translation>填表</translation>
        </message>
        <message>
            <source>Check</source>
            <translation>核对</translation>
        </message>
        <message>
            <source>Photos</source>
            <translation>拍照</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>提交</translation>
        </message>
        <message>
            <source>Department</source>
            <translation>部门</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Booked</source>
            <translation>预约凭证</translation>
        </message>
        <message>
            <source>Booking</source>
            <translation>选择预约</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <source>Your number</source>
            <translation>取号</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>问题</translation>
        </message>
    </context>
    <context>
        <name>Submitted</name>
        <message>
            <source>Application sent</source>
            <translation>申请已提交</translation>
        </message>
        <message>
            <source>Your reference number</source>
            <translation>受理编号</translation>
        </message>
        <message>
            <source>Scan to track your application</source>
            <translation>扫码查询办理进度</translation>
        </message>
        <message>
            <source>Get my receipt</source>
            <translation>获取回执</translation>
        </message>
        <message>
            <source>Applied for: {0}</source>
            <translation>办理事项：{0}</translation>
        </message>
        <message>
            <source>The network is down: your application is saved on this kiosk and will be sent automatically. Do not apply again.</source>
            <translation>网络暂时中断：申请已保存在本机，恢复后自动提交，无需重复申请。</translation>
        </message>
        <message>
            <source>Your application has been sent to the service center.</source>
            <translation>申请已提交至政务服务中心。</translation>
        </message>
        <message>
            <source>Handed in here (photographed):</source>
            <translation>已在本机拍照提交的材料：</translation>
        </message>
        <message>
            <source>All materials handed in: nothing to bring to the window.</source>
            <translation>材料已全部拍照提交，无需再到窗口递交。</translation>
        </message>
        <message>
            <source>Please bring these to the window:</source>
            <translation>请携带以下材料到窗口：</translation>
        </message>
        <message>
            <source>Done. Your application has been received.</source>
            <translation>提交成功，已收到您的申请。</translation>
        </message>
        <message>
            <source>Your receipt</source>
            <translation>办件回执</translation>
        </message>
        <message>
            <source>Next: rate this service</source>
            <translation>下一步：评价服务</translation>
        </message>
        <message>
            <source>Done: your application has been received. Keep this number until it is done.</source>
            <translation>提交成功，已收到您的申请。请保留受理编号，直至事项办结。</translation>
        </message>
    </context>
    <context>
        <name>Ticket</name>
        <message>
            <source>Take a queue number</source>
            <translation>取号</translation>
        </message>
        <message>
            <source>Which department do you need?</source>
            <translation>请选择办理部门</translation>
        </message>
        <message>
            <source>Your queue number</source>
            <translation>排队号</translation>
        </message>
        <message>
            <source>Your number</source>
            <translation>您的号码</translation>
        </message>
        <message>
            <source>Show this code at the window</source>
            <translation>到窗口时出示此码</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>完成</translation>
        </message>
        <message>
            <source>Please wait until your number is called.</source>
            <translation>请留意叫号。</translation>
        </message>
        <message>
            <source>Department: {0}</source>
            <translation>办理部门：{0}</translation>
        </message>
        <message>
            <source>People waiting before you: {0}</source>
            <translation>前面等候人数：{0}</translation>
        </message>
        <message>
            <source>Issued while the network is down: show this number at the window when called.</source>
            <translation>本号码在网络中断时发放，叫号时请向窗口出示。</translation>
        </message>
        <message>
            <source>If you miss your call, please take a new number.</source>
            <translation>过号请重新取号。</translation>
        </message>
    </context>
    <context>
        <name>Tiles</name>
        <message>
            <source>◀ Previous page</source>
            <translation>◀ 上一页</translation>
        </message>
        <message>
            <source>Next page ▶</source>
            <translation>下一页 ▶</translation>
        </message>
        <message>
            <source>Page {0} of {1}</source>
            <translation>第 {0}/{1} 页</translation>
        </message>
    </context>
    <context>
        <name>Window</name>
        <message>
            <source>Larger text</source>
            <translation>长辈模式</translation>
        </message>
        <message>
            <source>◀ Back</source>
            <translation>◀ 返回</translation>
        </message>
        <message>
            <source>End visit</source>
            <translation>结束办理</translation>
        </message>
        <message>
            <source>Need help? Call {0}</source>
            <translation>需要帮助？请拨打 {0}</translation>
        </message>
        <message>
            <source>Voice</source>
            <translation>语音播报</translation>
        </message>
        <message>
            <source>Demo: tap sample card (F2)</source>
            <translation>演示：刷示例证件（F2）</translation>
        </message>
    </context>
</TS>
