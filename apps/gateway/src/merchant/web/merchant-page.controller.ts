import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CouponException, MerchantUsersService } from '@ringflow/campaign';
import { Public } from '@ringflow/observability';
import { audit, TenantDatabase, TenantsService } from '@ringflow/tenancy';
import { redemptionResponse } from '../api/redemption-response';
import { clientIp } from '../client-ip';
import { SignInLimiter } from '../limits/sign-in-limiter';
import { MERCHANT_SETTINGS, type MerchantSettings } from '../merchant.config';
import { RedemptionDesk } from '../redemption-desk.service';
import { csrfMatches, MerchantSessions, type MerchantSession } from './merchant-sessions';
import { MERCHANT_CSS, redeemPage, refusalPage, signInPage } from './merchant-pages';
import { answerView, showsDate } from './redemption-answer-view';
import { clearedSessionCookie, readSessionCookie, sessionSetCookie } from './session-cookie';
import { applySecurityHeaders } from './security-headers';

type Form = Record<string, unknown> | undefined;

function field(form: Form, name: string): string {
  const value = form?.[name];
  return typeof value === 'string' ? value : '';
}

/**
 * The merchant web page: sign in with email and password, then type a serial and read the answer. Sessions live
 * in Redis behind an HttpOnly SameSite=Strict cookie; every form carries the session's synchronizer token.
 */
@Controller('merchant')
@Public()
export class MerchantPageController {
  constructor(
    private readonly sessions: MerchantSessions,
    private readonly users: MerchantUsersService,
    private readonly signInLimiter: SignInLimiter,
    private readonly desk: RedemptionDesk,
    private readonly db: TenantDatabase,
    private readonly tenants: TenantsService,
    @Inject(MERCHANT_SETTINGS) private readonly settings: MerchantSettings,
  ) {}

  @Get()
  async show(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.current(request);
    if (session?.signedIn) return this.send(reply, 200, redeemPage({ csrf: session.csrf, merchantName: session.signedIn.merchantName }));
    return this.signInForm(reply, 200, session);
  }

  @Post('sign-in')
  async signIn(@Req() request: FastifyRequest, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.current(request);
    if (!session || !csrfMatches(session, form?.csrf)) {
      return this.signInForm(reply, 403, undefined, 'The sign-in form had expired. Please sign in again.');
    }
    const [email, password] = [field(form, 'email'), field(form, 'password')];
    const wait = await this.signInLimiter.wait(email, clientIp(request));
    if (wait > 0) {
      reply.header('Retry-After', String(wait));
      return this.send(reply, 429, signInPage(session.csrf, `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minutes.`));
    }
    const who = email && password ? await this.users.verify(email, password) : undefined;
    if (!who) {
      await this.signInLimiter.recordFailure(email, clientIp(request));
      return this.send(reply, 401, signInPage(session.csrf, 'Email or password is wrong.'));
    }
    await this.signInLimiter.recordSuccess(email);
    const fresh = await this.sessions.signIn(session, who);
    await this.db.run(who.tenantId, (em) =>
      audit(em, who.tenantId, { actor: `merchant-user:${who.userId}`, action: 'merchant-user.sign-in', targetType: 'merchant', targetId: who.merchantId }),
    );
    reply.header('Set-Cookie', sessionSetCookie(fresh.cookie, this.settings.MERCHANT_COOKIE_SECURE));
    return this.redirectHome(reply);
  }

  @Post('redeem')
  async redeem(@Req() request: FastifyRequest, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.current(request);
    if (!session?.signedIn) return this.signInForm(reply, 401, session, 'Please sign in to redeem coupons.');
    if (!csrfMatches(session, form?.csrf)) {
      return this.send(reply, 403, refusalPage('Form expired', 'This form is no longer valid. Load the page again and retype the code.'));
    }
    const { tenantId, merchantId, merchantName, userId } = session.signedIn;
    const orderAmount = field(form, 'orderAmount').trim() || undefined;
    try {
      const answer = await this.desk.redeem({ tenantId, merchantId, credential: `merchant-user:${userId}`, ip: clientIp(request), serial: field(form, 'serial'), orderAmount });
      if (answer.kind === 'slowed') reply.header('Retry-After', String(answer.retryAfterSeconds));
      const status = answer.kind === 'slowed' ? 429 : redemptionResponse(answer.result).status;
      // Read per answer that shows a date (a refusal, the rarer kind), so a tenant's new time zone shows at once.
      const timeZone = showsDate(answer) ? (await this.tenants.get(tenantId)).timeZone : undefined;
      return this.send(reply, status, redeemPage({ csrf: session.csrf, merchantName, answer: answerView(answer, timeZone) }));
    } catch (error) {
      if (!(error instanceof CouponException)) throw error;
      if (error.code === 'merchant-not-found') return this.signInForm(reply, 401, session, 'This merchant no longer exists. Please sign in again.');
      if (error.code !== 'invalid-input') throw error;
      return this.send(reply, 422, redeemPage({ csrf: session.csrf, merchantName, notice: `${error.message}.` }));
    }
  }

  @Post('sign-out')
  async signOut(@Req() request: FastifyRequest, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.current(request);
    if (session && !csrfMatches(session, form?.csrf)) {
      return this.send(reply, 403, refusalPage('Form expired', 'This form is no longer valid. Load the page again.'));
    }
    if (session) await this.sessions.end(session);
    reply.header('Set-Cookie', clearedSessionCookie(this.settings.MERCHANT_COOKIE_SECURE));
    return this.redirectHome(reply);
  }

  private current(request: FastifyRequest): Promise<MerchantSession | undefined> {
    return this.sessions.load(readSessionCookie(request.headers.cookie, this.settings.MERCHANT_COOKIE_SECURE));
  }

  /** The sign-in form, on the anonymous session given or a new one (a signed-in session is never reused for it). */
  private async signInForm(reply: FastifyReply, status: number, session: MerchantSession | undefined, notice?: string): Promise<void> {
    let anonymous = session?.signedIn ? undefined : session;
    if (!anonymous) {
      if (session) await this.sessions.end(session);
      anonymous = await this.sessions.startAnonymous();
      reply.header('Set-Cookie', sessionSetCookie(anonymous.cookie, this.settings.MERCHANT_COOKIE_SECURE));
    }
    return this.send(reply, status, signInPage(anonymous.csrf, notice));
  }

  private redirectHome(reply: FastifyReply): void {
    applySecurityHeaders(reply, { css: MERCHANT_CSS, hsts: this.settings.MERCHANT_COOKIE_SECURE });
    void reply.status(303).header('Location', '/merchant').send();
  }

  private send(reply: FastifyReply, status: number, html: string): void {
    applySecurityHeaders(reply, { css: MERCHANT_CSS, hsts: this.settings.MERCHANT_COOKIE_SECURE });
    void reply.status(status).type('text/html; charset=utf-8').send(html);
  }
}
