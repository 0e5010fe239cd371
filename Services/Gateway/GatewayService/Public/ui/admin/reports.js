// 报表: sessions per day (bot vs human), queue wait per day and the satisfaction distribution, as SVG.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { staffApi } from '../staff.js';
import { isoDate, browserTimezone, duration, number } from '../format.js';
import { barChart, lineChart, COLORS } from '../charts.js';

export class ReportsPage {
  constructor() {
    this.element = h('section', { class: 'page', id: 'page-reports' });
    this.range = { from: isoDate(-13), to: isoDate(0) };
  }

  load() {
    const from = h('input', { type: 'date', id: 'rep-from', value: this.range.from });
    const to = h('input', { type: 'date', id: 'rep-to', value: this.range.to });
    this.body = h('div', { class: 'report-body', id: 'report-body' });
    replace(this.element,
      h('h2', { text: t('admin.reports') }),
      h('form', {
        class: 'filters',
        onsubmit: (e) => {
          e.preventDefault();
          this.range = { from: from.value, to: to.value };
          this.fetch();
        },
      }, h('div', { class: 'field' }, h('label', { for: from.id, text: t('rec.from') }), from),
        h('div', { class: 'field' }, h('label', { for: to.id, text: t('rec.to') }), to),
        h('div', { class: 'field buttons' }, h('button', { type: 'submit', class: 'btn primary', id: 'report-run', text: t('report.run') }))),
      this.body);
    return this.fetch();
  }

  async fetch() {
    replace(this.body, h('p', { class: 'hint', text: t('common.loading') }));
    const tz = browserTimezone();
    let summary;
    try {
      summary = await staffApi('GET', '/admin/reports/summary', { query: { ...this.range, tz } });
    } catch (e) {
      replace(this.body, h('p', { class: 'form-error', role: 'alert', text: e.display || String(e) }));
      return;
    }
    const days = summary.days || [];
    const totals = summary.totals || {};
    const labels = days.map((d) => String(d.date).slice(5));
    const ratings = await this.ratingDistribution(tz);
    const card = (key, value) => h('div', { class: 'stat' }, h('span', { class: 'stat-label', text: t(key) }), h('strong', { text: value }));
    replace(this.body,
      h('div', { class: 'stats-cards', id: 'report-totals' },
        card('report.sessions', number(totals.sessions)), card('type.bot', number(totals.bot)), card('type.human', number(totals.human)),
        card('report.avgWait', duration(totals.avg_wait)), card('report.avgFirstResponse', duration(totals.avg_first_response)),
        card('report.avgRating', totals.avg_rating ? number(totals.avg_rating, 2) : '-'), card('report.leaveMessages', number(totals.leave_messages)),
        card('report.botResolution', totals.bot_resolution_rate !== undefined
          ? t('report.botResolutionValue', { rate: number(totals.bot_resolution_rate * 100, 1), useful: number(totals.bot_feedback_useful), notUseful: number(totals.bot_feedback_not_useful) }) : '-')),
      h('figure', { class: 'chart-box', id: 'chart-sessions' },
        barChart({
          labels, title: t('report.sessionsPerDay'),
          series: [
            { name: t('type.bot'), values: days.map((d) => d.bot || 0), color: COLORS[0] },
            { name: t('type.human'), values: days.map((d) => d.human || 0), color: COLORS[1] },
          ],
        }),
        h('figcaption', { text: t('report.sessionsPerDay') })),
      h('figure', { class: 'chart-box', id: 'chart-wait' },
        lineChart({
          labels, title: t('report.waitPerDay'), format: (v) => duration(v),
          series: [{ name: t('report.avgWait'), values: days.map((d) => (d.avg_wait === undefined ? null : d.avg_wait)), color: COLORS[2] }],
        }),
        h('figcaption', { text: t('report.waitPerDay') })),
      h('figure', { class: 'chart-box', id: 'chart-rating' },
        ratings
          ? barChart({
            labels: [1, 2, 3, 4, 5].map((n) => t('rating.stars', { n })), title: t('report.ratingDistribution'),
            series: [{ name: '', values: ratings, color: COLORS[3] }],
          })
          : h('p', { class: 'hint', text: t('report.ratingUnavailable') }),
        h('figcaption', { text: t('report.ratingDistribution') })));
  }

  /** Counts rated sessions per star from the records (reporting's summary has only totals). */
  async ratingDistribution(tz) {
    const counts = [0, 0, 0, 0, 0];
    try {
      for (let stars = 1; stars <= 5; stars += 1) {
        let cursor;
        for (let page = 0; page < 20; page += 1) {
          const result = await staffApi('GET', '/admin/records', { query: { ...this.range, tz, type: 'human', rating: stars, limit: 200, cursor } });
          counts[stars - 1] += (result.items || []).length;
          cursor = result.next_cursor;
          if (!cursor) break;
        }
      }
    } catch {
      return null;
    }
    return counts;
  }
}
