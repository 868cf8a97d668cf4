<?xml version="1.0" encoding="UTF-8"?>
<!--
  The page a browser shows when a reader opens one of the site's RSS or Atom feeds:
  what the feed is, how to subscribe, and its items. XSLT 1.0, as browsers run it.
  Summaries are stored as escaped HTML of plain text, so they are unescaped here as text
  (browsers do not all honour disable-output-escaping).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <xsl:variable name="description" select="rss/channel/description | atom:feed/atom:subtitle"/>
    <xsl:variable name="self" select="(rss/channel/atom:link | atom:feed/atom:link)[@rel = 'self']/@href"/>
    <xsl:variable name="home" select="rss/channel/link | atom:feed/atom:link[@rel = 'alternate']/@href"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title><xsl:value-of select="$title"/> (web feed)</title>
        <style>
          body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 46rem; margin: 0 auto; padding: 1rem; color: #1d1d1f; }
          .about { background: #e8eaf6; border-left: 4px solid #3f51b5; padding: 0.75rem 1rem; }
          .about code { word-break: break-all; }
          h1 { margin-bottom: 0.25rem; }
          ol { list-style: none; padding: 0; }
          li { border-top: 1px solid #ddd; padding: 0.75rem 0; }
          li a { font-weight: 600; font-size: 1.1rem; }
          time { display: block; color: #555; font-size: 0.9rem; }
          a { color: #303f9f; }
        </style>
      </head>
      <body>
        <p class="about">
          This is a web feed. To follow new items, copy its address into a feed reader:
          <code><xsl:value-of select="$self"/></code>
        </p>
        <h1><xsl:value-of select="$title"/></h1>
        <p><xsl:value-of select="$description"/></p>
        <p><a href="{$home}">Visit the site</a></p>
        <ol>
          <xsl:apply-templates select="rss/channel/item | atom:feed/atom:entry"/>
        </ol>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <a href="{link}"><xsl:value-of select="title"/></a>
      <time><xsl:value-of select="substring(pubDate, 6, 11)"/></time>
      <p>
        <xsl:call-template name="unescape">
          <xsl:with-param name="text" select="description"/>
        </xsl:call-template>
      </p>
    </li>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <a href="{atom:link[@rel = 'alternate']/@href}"><xsl:value-of select="atom:title"/></a>
      <time><xsl:value-of select="substring(atom:published, 1, 10)"/></time>
      <p>
        <xsl:call-template name="unescape">
          <xsl:with-param name="text" select="atom:summary"/>
        </xsl:call-template>
      </p>
    </li>
  </xsl:template>

  <!-- &lt; and &gt; first, &amp; last, so that an escaped "&lt;" in the text stays as printed. -->
  <xsl:template name="unescape">
    <xsl:param name="text"/>
    <xsl:call-template name="replace">
      <xsl:with-param name="text">
        <xsl:call-template name="replace">
          <xsl:with-param name="text">
            <xsl:call-template name="replace">
              <xsl:with-param name="text" select="$text"/>
              <xsl:with-param name="from" select="'&amp;lt;'"/>
              <xsl:with-param name="to" select="'&lt;'"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="from" select="'&amp;gt;'"/>
          <xsl:with-param name="to" select="'&gt;'"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="from" select="'&amp;amp;'"/>
      <xsl:with-param name="to" select="'&amp;'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="replace">
    <xsl:param name="text"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($text, $from)">
        <xsl:value-of select="substring-before($text, $from)"/>
        <xsl:value-of select="$to"/>
        <xsl:call-template name="replace">
          <xsl:with-param name="text" select="substring-after($text, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$text"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
