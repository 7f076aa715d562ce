import{e as D,m as K,n as C}from"./chunk-UVAEPBX6.js";import{d as U,i as T,j as Y,k as E,l as L,m as A,n as F,q as n}from"./chunk-LV6MNZPL.js";var M=new URL("../../vendor/katex/",import.meta.url),N=null;function et(t){N=Promise.resolve(t)}function nt(){return N||(N=new Promise((t,e)=>{let a=document.createElement("link");a.rel="stylesheet",a.href=new URL("katex.min.css",M).href,document.head.append(a);let s=document.createElement("script");s.src=new URL("katex.min.js",M).href,s.onload=()=>t(window.katex),s.onerror=()=>e(new Error("KaTeX failed to load")),document.head.append(s)})),N}var i=(t,e)=>String.raw`\frac{\partial ${t}}{\partial ${e}}`,R=String.raw`\big|_{\theta^0}`,I=String.raw`\big|_{\theta^1}`,P=!1,G=t=>P||typeof t!="number"||!Number.isFinite(t)?t:Number(t.toPrecision(4)),d=t=>C(G(t),{paren:!0}),c=t=>C(G(t));function st(t,e,a,s,{fullPrecision:l=!1}={}){if(P=l,!t)return[{text:n.selectSomething}];let o=D(t);return o?o.explain(V,t,e,a,s):[]}var V={weight:X,neuron:H,input:(t,e)=>[{title:n.eqInput(t),tex:String.raw`${A(t)} = ${c(e.input[t])}`}],loss:Q};function X(t,e,a,s,l){let o=s.network.weights[t][a][e],p=s.learning_rate,f=T(t+1,a,e),_=E(t+1,a),r=L(t,e),g=[{title:n.eqLink(t,e,a),tex:String.raw`${f} = ${c(o)}`}],$=l.neurons[t][e],q=l.a_in[t][a]?l.a_in[t][a][e]:$.a;$.a!==void 0&&(t===0||$.z!==void 0)?g.push({title:n.eqForward,tex:String.raw`${i(_,f)} = ${r} = ${c($.a)}`}):g.push({title:n.eqForward,text:n.notYet(n.eqForward)});let m=l.dl_dw[t][a],u=l.neurons[t+1][a];m&&u.dl_dz!==void 0?g.push({title:n.eqGradient,tex:String.raw`\begin{aligned}
${i("l",f)} &= ${i(_,f)}\cdot ${i("l",_)} = ${r} \cdot ${i("l",_)}\\
&= ${d(q)} \times ${d(u.dl_dz)}\\
&= ${c(m[e])}
\end{aligned}`}):g.push({title:n.eqGradient,text:n.notYet(n.eqBackward)});let S=l.w_new[t][a];return S&&m&&g.push({title:n.eqUpdate,tex:String.raw`\begin{aligned}
${f}${I} &= ${f}${R} - \eta\, ${i("l",f)}\\
&= ${d(o)} - ${d(p)} \times ${d(m[e])}\\
&= ${c(S[e])}
\end{aligned}`}),g}function H(t,e,a,s,l){let o=a.network,p=o.layers.length-1,f=o.activations[t-1],_=l(f)||{},r=s.neurons[t][e],g=o.biases[t-1][e],$=E(t,e),q=L(t,e),m=Y(t,e),u=[{title:n.eqNeuron(t,e,f),tex:_.formula?String.raw`\sigma(z) = ${W(_.formula)}`:null}];if(u[0].tex||delete u[0].tex,r.z!==void 0){let h=o.weights[t-1][e],z=s.neurons[t-1].map(w=>w.a),k=Math.min(h.length,4),b=[];for(let w=0;w<k;w++)b.push(`${d(h[w])} \\cdot ${d(z[w])}`);h.length>k&&b.push(String.raw`\cdots`),b.push(d(g));let y=b.map((w,x)=>x===0?`&= ${w}`:String.raw`&\quad + ${w}`).join(`\\\\
`),B=t===1?"x_i":`a^{${t-1}}_i`;u.push({title:n.eqForward,tex:String.raw`\begin{aligned}
${$} &= \textstyle\sum_i w^{${t}}_{${e+1}i}\, ${B} + ${m}\\
${y}\\
&= ${c(r.z)}\\
${q} &= \sigma(${$}) = ${c(r.a)}
\end{aligned}`})}else u.push({title:n.eqForward,text:n.notYet(n.eqForward)});if(r.dl_dz===void 0)u.push({title:n.eqBackward,text:n.notYet(n.eqBackward)});else if(t===p)r.da_dz===null?u.push({title:`${n.eqBackward} \xB7 ${n.eqCase1}`,text:n.eqSoftmax,tex:String.raw`\begin{aligned}
${i("l",$)} &= \textstyle\sum_k ${i(`a^{${t}}_k`,$)}\,${i("l",`a^{${t}}_k`)} = J^\top ${i("l",`a^{${t}}`)}\\
&= ${c(r.dl_dz)}
\end{aligned}`}):a.network.loss==="binary_cross_entropy"?u.push({title:`${n.eqBackward} \xB7 ${n.eqCase1}`,text:n.eqClosedForm,tex:String.raw`\begin{aligned}
${i("l",$)} &= \sigma'(${$})\, ${i("l",q)} = \frac{${q} - ${F(e)}}{K}\\
&= \frac{${d(r.a)} - ${d(a.target[e])}}{${s.neurons[p].length}}\\
&= ${c(r.dl_dz)}
\end{aligned}`}):u.push({title:`${n.eqBackward} \xB7 ${n.eqCase1}`,tex:String.raw`\begin{aligned}
${i("l",$)} &= \sigma'(${$})\, ${i("l",q)}\\
&= ${d(r.da_dz)} \times ${d(r.dl_da)}\\
&= ${c(r.dl_dz)}
\end{aligned}`});else{let h=s.neurons[t+1],z=o.weights[t],k=[],b=[],y=Math.min(h.length,3);for(let x=0;x<y;x++)k.push(String.raw`${T(t+1,x,e)}\, ${i("l",E(t+1,x))}`),b.push(`${d(z[x][e])} \\times ${d(h[x].dl_dz)}`);h.length>y&&(k.push(String.raw`\cdots`),b.push(String.raw`\cdots`));let B=r.da_dz===null?"1":d(r.da_dz),w=b.length===1?String.raw`&= ${B}\,\big[${b[0]}\big]\\`:b.map((x,O)=>O===0?String.raw`&= ${B}\,\big[${x}`:String.raw`&\qquad + ${x}`).join(`\\\\
`)+String.raw`\big]\\`;u.push({title:`${n.eqBackward} \xB7 ${n.eqCase2}`,tex:String.raw`\begin{aligned}
${i("l",$)} &= \sigma'(${$})\,\big[${k.join(" + ")}\big]\\
${w}
&= ${B} \times ${d(r.dl_da)}\\
&= ${c(r.dl_dz)}
\end{aligned}`})}let S=s.dl_db[t-1][e];if(S!=null){let h=s.b_new[t-1][e],z=String.raw`${i("l",m)} = ${i("l",$)} = ${c(S)}`;if(h!=null){let k=a.freeze_biases?String.raw`${m}${I} &= ${m}${R} \quad\text{(${n.freezeBiases})}\\`:String.raw`${m}${I} &= ${m}${R} - \eta\, ${i("l",m)}\\
&= ${d(g)} - ${d(a.learning_rate)} \times ${d(S)}\\`;z=String.raw`\begin{aligned}
${i("l",m)} &= ${i("l",$)} = ${c(S)}\\
${k}
&= ${c(h)}
\end{aligned}`}u.push({title:n.eqBias(K(g),U(t,e)),tex:z})}return u}function Q(t,e,a){let s=t.network,l=s.layers.length-1,o=(a(s.loss)||{}).formula,p=[{title:n.eqLoss(n.lossName(s.loss)),tex:o||void 0}];if(e.loss===null)return p.push({text:n.notYet(n.eqLoss(n.lossName(s.loss)))}),p;let _=e.neurons[l].map((r,g)=>String.raw`${L(l,g)} = ${c(r.a)},\ ${F(g)} = ${c(t.target[g])},\ ${i("l",L(l,g))} = ${c(e.dl_da_out?e.dl_da_out[g]:null)}`);return p.push({tex:String.raw`\begin{aligned} l &= ${c(e.loss)}\end{aligned}`}),p.push({tex:String.raw`\begin{aligned}${_.map(r=>`&${r}`).join("\\\\")}\end{aligned}`}),e.loss_after!==null&&e.loss_after!==void 0&&p.push({title:n.eqLossAfter,tex:String.raw`l(\theta^1) = ${c(e.loss_after)}`}),p}function W(t){let e=t.indexOf("=");return e>=0?t.slice(e+1).trim():t}function at(t,e,a){t.replaceChildren();for(let s of e){let l=document.createElement("section");if(l.className="eq-block",s.title){let o=document.createElement("h3");o.textContent=s.title,l.append(o)}if(s.text){let o=document.createElement("p");o.textContent=s.text,l.append(o)}if(s.tex){let o=document.createElement("div");o.className="eq-math",a.render(s.tex,o,{displayMode:!0,throwOnError:!1,output:"htmlAndMathml"}),l.append(o)}t.append(l)}}export{st as blocksFor,nt as loadKatex,et as provideKatex,at as renderBlocks};
//# sourceMappingURL=chunk-XHBIRMYT.js.map
